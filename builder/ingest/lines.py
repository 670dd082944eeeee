"""What a single line of a page is: chrome, a meta line, a byline, a caption, a dateline, or text.

Chrome is recognised by its shape first (short, no sentence punctuation, separators between
short segments, a row of bracketed widgets, a bare date or counter, a file name, a relative
time), and only then by the words widgets use (打印, 分享到 …). Where a line stands (before the
headline, after the body, repeated on the page) is decided in page.py, which sees the page.
"""

from __future__ import annotations

import re

from builder.ingest.text import CONTINUING, DATE, HAN, TERMINAL, is_closed, iso_date, strip
from builder.lazyre import LazyPattern as lazy_re
from builder.names import COMPOUND_SURNAMES, SURNAMES

TITLE_MAX = 64

# ---- bylines ------------------------------------------------------------------------

# a role word says the names after it are people who wrote (or photographed) the article
BYLINE_ROLES = lazy_re(r"(本报记者|本报通讯员|本报特约记者|见习记者|特约记者|首席记者|融媒记者|实习生|通讯员|记者"
                       r"|撰文|摄影|文字|文／图|文/图|文／|文/|图／|图/|摄／|摄/)")
# a publication in front of a role: 徐州日报记者, 交汇点记者, 新华社记者
_ROLE_PREFIX = lazy_re(rf"^[{HAN}·]{{0,10}}?(?:日报|晚报|快报|报|网|社|台|交汇点|客户端|新闻|融媒)[+＋]?"
                       rf"(?:·[{HAN}]{{2,6}})?(?=记者|通讯员)")
# an organisation credited with the names: （睢宁县融媒体中心 徐晓 魏然）
_ORG = lazy_re(rf"^[{HAN}]{{2,12}}(?:融媒体中心|新闻中心|记者站|宣传部|日报社|报社|电视台|广播电视台|融媒)$")
# what follows the names: 整理 (compiled by), 报道, 摄
_BYLINE_TAIL = lazy_re(r"\s*(?:整理|报道|采写|摄影?|供图|发自\S{1,6}|[/／]\s*[^/／\s]{2,8}(?:报导|报道|专电))\s*$")


# what a web page's author field says when no person wrote it: an account, a job, a placeholder
# (管理员, 小编, 本站, 佚名); a personal name does not end in 员 / 者 / 编
_NOT_A_PERSON = lazy_re(r"(?:员|者|编|管理|网管|站长|本站|佚名|匿名|系统|用户|官方|综合)$|^(?:本站|网站|系统|小编|佚名|匿名)")


def is_name(token: str, strict: bool = True) -> bool:
    """A Chinese personal name: 2-3 characters (4 with a compound surname). `strict` also wants
    the first character to be a common surname (pen names such as 邳宣 only pass after a role)."""
    if not re.fullmatch(rf"[{HAN}]{{2,4}}", token):
        return False
    if _NOT_A_PERSON.search(token):
        return False  # 作者：管理员 is the site's account, not a person (管 is also a surname)
    if len(token) == 4:
        return token[:2] in COMPOUND_SURNAMES
    return not strict or token[0] in SURNAMES or token[:2] in COMPOUND_SURNAMES


def _byline_tokens(text: str) -> tuple[bool, list[str], bool] | None:
    """(had a role, the names, the first token was a role or an organisation), or None when a
    token is neither a role, an organisation nor a possible name."""
    s = strip(text)
    if len(s) > 60 or not s:
        return None
    s = re.sub(r"^[(（〔【\[](.*)[)）〕】\]]$", r"\1", s).strip()
    s = _BYLINE_TAIL.sub("", s)
    had_role = starts_with_role = False
    names: list[str] = []
    for position, token in enumerate(t for t in re.split(r"[\s、，,|｜]+", s) if t):
        prefix = _ROLE_PREFIX.match(token)
        if prefix:
            token = token[prefix.end():]
        if _ORG.match(token):
            had_role = True
            starts_with_role = starts_with_role or position == 0
            continue
        for index, part in enumerate(p for p in BYLINE_ROLES.split(token) if p):
            if BYLINE_ROLES.fullmatch(part):
                had_role = True
                starts_with_role = starts_with_role or (position == 0 and index == 0)
            else:
                names.append(part.strip("/／"))
    return had_role, [n for n in names if n], starts_with_role


def parse_byline(text: str) -> tuple[str, ...] | None:
    """Names in a byline such as '马壮壮 梅屹寒 刘贺', '（本报记者 张三 通讯员 李四）',
    '徐州日报记者 甲 乙 丙', '文/图 记者 甲', '（睢宁县融媒体中心 徐晓 魏然）', else None.
    After a role word any 2-3 character name is taken (pen names such as 邳宣 too); without
    one, most names must start with a common surname and be separated by spaces."""
    found = _byline_tokens(text)
    if not found:
        return None
    had_role, names, starts_with_role = found
    if not names or not all(is_name(n, strict=False) for n in names):
        return None
    if had_role:
        return tuple(names) if starts_with_role else None
    if len(names) < 2:
        return None
    with_surname = sum(1 for t in names if t[0] in SURNAMES or t[:2] in COMPOUND_SURNAMES)
    if with_surname * 2 <= len(names):
        return None
    if not re.search(r"\s", strip(text)):
        return None  # names in a byline are separated by spaces
    return tuple(names)


def has_role(text: str) -> bool:
    """The byline names its people's role (记者, 通讯员 …) or their organisation."""
    found = _byline_tokens(text)
    return bool(found and found[0])


def split_glued_byline(text: str) -> tuple[str, tuple[str, ...]] | None:
    """'…攀升。张晓培 潘凤萍 张双琳 经开轩' -> ('…攀升。', names);
    '…早见效。（记者 孟凡 通讯员 刘晓东）' -> ('…早见效。', names)."""
    m = re.search(r"[(（]([^()（）]{2,60})[)）]\s*$", text)
    if m and m.start() > 0 and is_closed(text[:m.start()]):
        names = parse_byline(m.group(1))
        if names and has_role(m.group(1)):
            return text[:m.start()].rstrip(), names
    last = max(text.rfind(c) for c in TERMINAL + "”")
    if last < 0 or last == len(text) - 1:
        return None
    head, tail = text[: last + 1], text[last + 1:]
    if not tail.strip() or not is_closed(head):
        return None
    names = parse_byline(tail)
    return (head.rstrip(), names) if names else None


# ---- datelines ----------------------------------------------------------------------

# 本报讯, 本报邳州讯, 徐州日报讯, 新华日报·交汇点讯, 中国江苏网9月14日徐州讯, 香港商报网讯,
# 新华社南京3月5日电, 中新网徐州3月5日电
_DATELINE = lazy_re(
    rf"^(?P<dateline>(?:本报|本台|本网|本刊|本站)(?:[{HAN}]{{2,4}})?讯"
    rf"|[{HAN}]{{0,10}}?(?:日报|晚报|报|网|社|台|交汇点|客户端|新闻)[+＋]?(?:·[{HAN}]{{2,6}})?"
    rf"(?:\d{{1,2}}月\d{{1,2}}日)?(?:[{HAN}]{{2,4}})?讯"
    rf"|[{HAN}]{{1,10}}?(?:社|网|台|报|客户端)[{HAN}]{{0,6}}\d{{1,2}}月\d{{1,2}}日电)"
    r"(?P<sep>\s*[:：]?\s*)")
_PAREN = lazy_re(r"^[(（〔【\[](?P<inner>[^()（）〔〕【】\[\]]{2,60})[)）〕】\]]\s*")


def split_dateline(text: str) -> tuple[str | None, tuple[str, ...], str]:
    """'本报讯（记者 孙婷）12月18日，…' -> ('本报讯', ('孙婷',), '12月18日，…');
    '（文/图 记者 胡蝶）“五一”假期…' -> (None, ('胡蝶',), '“五一”假期…'). Text that starts
    with neither comes back unchanged."""
    dateline = None
    rest = text
    m = _DATELINE.match(rest)
    if m and len(m.group("dateline")) <= 26:
        after = rest[m.end():]
        # a dateline is followed by its byline, a space or the lede; 本报讯 inside a sentence is not one
        if after and (m.group("sep") or after[0] in "（(" or after[0] not in "，。、；"):
            dateline, rest = m.group("dateline"), after
    names: tuple[str, ...] = ()
    p = _PAREN.match(rest.lstrip() if dateline else rest)
    if p and has_role(p.group("inner")):
        found = parse_byline(p.group("inner"))
        if found:
            names, rest = found, rest.lstrip()[p.end():]
    elif p and dateline:
        # right after a dateline, names alone in parentheses are its byline (人民网徐州5月6日电 （王丹丹）)
        tokens = [t for t in re.split(r"[\s、，,]+", p.group("inner")) if t]
        if tokens and all(is_name(t) for t in tokens):
            names, rest = tuple(tokens), rest.lstrip()[p.end():]
    if dateline is None and not names:
        return None, (), text
    return dateline, names, rest.lstrip()


# ---- captions ------------------------------------------------------------------------

_CREDIT = (r"(?:(?:本报)?(?:记者|通讯员|特约摄影师?|摄影)\s*[" + HAN + r"]{2,4}\s*(?:摄|供图)"
           r"|[" + HAN + r"]{2,4}\s*摄(?:影)?|(?:通讯员|受访者|受访单位|记者|本报)?供图|资料图片?|网络图片"
           r"|图片来源\s*[:：]\s*\S+|新华社发|视觉中国|IC\s*photo)")
_CAPTION = lazy_re(r"^(?P<caption>.{2,80}?)\s*(?:[(（]\s*(?P<c1>" + _CREDIT + r")\s*[)）]|\s+(?P<c2>" + _CREDIT + r"))$")
_PHOTO_LINE = lazy_re(r"^图为[^。！？]{2,58}[。]?$")


def parse_caption(text: str) -> tuple[str, str | None] | None:
    """'图为游客在景区夜游 记者 孙立 摄' -> (caption, credit); '图为游客在马陵山景区游玩。' ->
    (caption, None)."""
    m = _CAPTION.match(text)
    if m and m.group("caption")[-1:] not in CONTINUING:
        caption = m.group("caption").strip()
        credit = (m.group("c1") or m.group("c2")).strip()
        if len(caption) >= 2 and re.search(f"[{HAN}]", caption) and not BYLINE_ROLES.fullmatch(caption):
            return caption, credit  # (记者 张三 摄 is a photographer's byline: no caption before it)
    if _PHOTO_LINE.match(text):
        return text.rstrip("。"), None
    return None


# ---- meta lines ----------------------------------------------------------------------

META_LABELS = ("来源", "稿源", "编辑", "责任编辑", "责编", "作者", "发布时间", "发布日期", "发表时间", "发布于",
               "更新时间", "日期", "时间", "审核", "校对", "初审", "复审", "终审", "供稿", "浏览次数", "浏览",
               "点击数", "点击", "阅读数", "阅读次数", "阅读量", "字号", "字体", "分享到", "原标题", "原文链接", "链接",
               "信息来源", "文章来源", "美术编辑", "美编", "签发", "审校", "编审", "监制", "主编")
_WEAK_LABELS = {"时间", "日期", "链接", "阅读数", "点击数", "点击", "浏览", "字体"}  # also inside articles (活动时间：…)
_LABEL_ALT = "|".join(sorted(META_LABELS, key=len, reverse=True))
_META = lazy_re(r"(?:^|\s|【|\[|[(（])(" + _LABEL_ALT + r")\s*[:：]")
_TIME = r"(?:\d{1,2}:\d{2}(?::\d{2})?)"
_DATE_LINE = lazy_re(r"^\s*" + DATE.pattern + r"\s*(?:星期.|周.)?\s*" + _TIME + r"?(?P<rest>.*)$")


def is_meta(text: str) -> bool:
    """来源/编辑/发布时间 … lines, a page header with a date (A05 县区新闻 2024年4月2日 …), a line
    that is only a date and time, or a date followed by a little chrome (发表于江苏)."""
    if len(text) > 120 or "。" in text:
        return False
    labels = {m.group(1) for m in _META.finditer(text)}
    if labels - _WEAK_LABELS:
        return True
    if labels and (iso_date(text) or re.search(r"https?://", text)):
        return True  # 时间：/日期：/链接： are page meta only with a full date or a URL
    m = _DATE_LINE.match(text)
    if m:
        rest = m.group("rest").strip()
        return not rest or (len(rest) <= 16 and not re.search(r"[，。；！？]", rest))
    return is_dated_header(text)


def is_dated_header(text: str) -> bool:
    """A page header or an account line: a full date among short words, no sentence
    (彭城晚报  2024年1月9日  A04版  区县新闻; 原创 沛县发布 2023-09-08 19:30 发表于江苏)."""
    if len(text) > 60 or re.search(r"[，。；！？、]", text) or not iso_date(text):
        return False
    tokens = text.split()
    return len(tokens) >= 3 and all(len(t) <= 12 for t in tokens)


_PAPER = lazy_re(rf"^[{HAN}A-Za-z0-9·]{{2,12}}(?:日报|晚报|报|发布|网|电视台|融媒|客户端|公众号)$")


def header_publication(text: str) -> str | None:
    """The paper or account a dated header names (彭城晚报, 沛县发布), not its page or section."""
    return next((t for t in text.split() if _PAPER.match(t)), None)


def meta_value(text: str, labels: tuple[str, ...]) -> str | None:
    """The value after one of `labels`; an empty field (来源： 作者：…) has none."""
    for label in labels:
        m = re.search(rf"(?:^|[\s【\[（(]){label}\s*[:：]\s*(?!(?:{_LABEL_ALT})\s*[:：])([^\s:：]+)", text)
        if m:
            value = m.group(1).strip("【】[]（）()")
            return value or None
    return None


# ---- chrome --------------------------------------------------------------------------

# words of page widgets; a line made of them (and separators, brackets, counts) is chrome
_WIDGET = (r"打印本页|打印|关闭窗口|关闭本页|关闭|收藏本页|收藏|返回顶部|返回|分享到|分享|字体|字号|大|中|小|默认"
           r"|扫一扫|扫码|二维码|在手机打开|手机版|手机阅读|听新闻|语音播报|播报|朗读|纠错|举报|反馈|关注|点赞|在看"
           r"|评论|转发|微信|微博|朋友圈|QQ空间|QQ|抖音|头条|复制链接|我要评论|推荐|责任编辑|保存|下载|附件"
           r"|放大|缩小|繁体|简体|繁體版|简体版|簡體版|English|无障碍|长者模式|适老化|登录|注册|首页|网站地图|联系我们")
_WIDGETS = lazy_re(rf"^(?:[\s【】\[\]()（）|｜/·•:：>＞»_\-—、，,🔊📢]*(?:{_WIDGET}))+[\s【】\[\]()（）|｜/·•:：>＞»_\-—、，,]*$")
_CHROME_PHRASE = lazy_re(r"扫一扫|在手机(?:上)?打开|微信扫|扫码|二维码|分享至|【\s*字[体号]|\[\s*字[体号]|点击蓝字|长按识别"
                         r"|不代表\S{0,8}(?:立场|观点)|申请入驻"
                         r"|阅读原文|免责声明|版权声明|转载请注明|未经授权|ICP备|公网安备|技术支持[:：]|主办单位[:：]"
                         r"|承办单位[:：]|网站标识码|举报/反馈|举报电话")
_RELATIVE_TIME = lazy_re(r"(?:^|\s|·)(?:\d{1,2}\s*(?:秒|分钟|小时|天|周|个月)前|刚刚|昨天\s*\d{1,2}:\d{2}|前天)(?:\s|·|$)")
_COUNTER = lazy_re(r"^[\s【\[(（]*(?:阅读|浏览|点击|播放|评论|点赞|在看|转发|人气)(?:量|数|次数)?\s*[:：]?\s*"
                   r"[(（]?\s*[\d.,]+\s*[万千wWkK+]?\s*[)）]?\s*(?:次|人)?[\s】\])）]*$|^\d{1,7}$")
_STOCK = lazy_re(r"(?:股票|证券)(?:代码|简称)\s*[:：]?\s*\S+|[(（](?:SH|SZ|HK|BJ)?\s*[.:：]?\s*[036]\d{5}[)）]"
                 r"|\b[036]\d{5}\.(?:SH|SZ)\b")
_IMAGE_FILE = lazy_re(r"^\S{0,60}\.(?:jpe?g|png|gif|webp|bmp|tiff?)$|^(?:微信图片|IMG|DSC|图片)[_\-\d]{6,}\S*$", re.IGNORECASE)
_URL_LINE = lazy_re(r"^(?:网址|链接|原文链接)?[:：]?\s*https?://\S+$")
_SEPARATORS = r"(?:\s*(?:>>|>|＞|»|›|→|\||｜|/|／|\s-\s|_|·|•)\s*)"
_BREADCRUMB_START = lazy_re(r"^(?:当前位置|您的位置|您现在的位置|您所在的位置|所在位置|位置)\s*[:：]?")
# a site, channel or account name: the kind of line that stands above a headline
_SITE_NAME = lazy_re(rf"^[{HAN}A-Za-z0-9·]{{2,16}}(?:人民政府|政府|门户网站|网站|网|日报|晚报|报|电视台|广播电视台|台"
                     rf"|频道|融媒|融媒体中心|发布|在线|客户端|官方账号|公众号|头条号|新闻|资讯|快讯|观察|号"
                     rf"|有限公司|有限责任公司|集团)$")


# publications and apps whose names do not end in a word _SITE_NAME knows (交汇点, 紫牛新闻 do;
# 现代快报+ does not): a line that is one of them above a headline is the source, never a kicker
PUBLICATIONS = ("新华日报", "交汇点", "扬子晚报", "紫牛新闻", "现代快报", "中国江苏网", "荔枝新闻", "我苏网", "新江苏",
                "徐州日报", "彭城晚报", "都市晨报", "淮海晨报", "徐州发布", "人民日报", "人民网", "新华社", "新华网",
                "中新网", "中国新闻网", "央视新闻", "央视网", "光明日报", "光明网", "经济日报", "中国日报", "澎湃新闻",
                "界面新闻", "学习强国", "今日头条", "网易新闻", "腾讯新闻", "新浪新闻", "凤凰网", "潮新闻", "极目新闻",
                "上游新闻", "封面新闻", "大众日报", "新京报", "北京日报", "解放日报", "文汇报", "南方日报")
_BRAND_PIECE = rf"[{HAN}A-Za-z0-9]{{2,10}}[+＋]?"
# 新华日报·交汇点, 扬子晚报|紫牛新闻, 现代快报+: a brand and its app, joined by a dot or a bar
_BRAND = lazy_re(rf"^{_BRAND_PIECE}(?:\s*[·•|｜]\s*{_BRAND_PIECE})+$|^{_BRAND_PIECE[:-8]}{{2,10}}[+＋]$")


def brand_pieces(text: str) -> list[str]:
    """The names a brand line is made of (新华日报·交汇点 -> 新华日报, 交汇点)."""
    return [p.strip("+＋ ") for p in re.split(r"[·•|｜]", text) if len(p.strip("+＋ ")) >= 2]


def is_brand(text: str) -> bool:
    """A site, publication or app name, by its shape (a name ending in 网 / 日报 / 新闻 …, two names
    joined by a dot, a name ending in +) or because it is a publication everyone knows."""
    text = text.strip()
    if is_site_name(text) or text in PUBLICATIONS or re.fullmatch(rf"[{HAN}A-Za-z0-9]{{2,10}}[+＋]", text):
        return True
    # two names joined by a dot, one of them a site or publication (新华日报·交汇点); a slogan
    # joined the same way (奋进新征程·建功新时代) is a kicker
    return bool(_BRAND.match(text)) and len(text) <= 24 and \
        any(p in PUBLICATIONS or is_site_name(p) for p in brand_pieces(text))


# a newspaper's page and column labels: 要闻, 综合, 区县新闻, 第A2版, A03 经济, 要闻·综合
_COLUMN_WORD = ("县市区", "区县", "县区", "市县", "要闻", "综合", "本版", "经济", "时政", "社会", "民生", "新闻", "专题",
                "专版", "专栏", "评论", "理论", "文化", "文旅", "体育", "副刊", "国内", "国际", "财经", "产经", "本地",
                "城事", "城市", "视点", "视界", "聚焦", "关注", "观察", "动态", "速递", "传真", "快讯", "头条", "热点",
                "资讯", "科技", "教育", "健康", "法治", "政务", "综述", "特刊", "周刊", "都市", "乡村", "三农", "看点",
                "一线", "基层", "深度", "调查", "纵深", "现场", "产业", "园区", "开发区", "企业", "读者", "声音", "图片",
                "图说", "读图", "网评", "时评", "新闻眼", "天下", "全省", "全市", "省内", "市内", "地方", "区域", "周末")
_PAGE_NUMBER = lazy_re(r"^(?:第\s*[A-Za-z]{0,2}\s*\d{1,3}\s*版|[A-Za-z]{1,2}\s*\d{1,3}\s*版?|\d{1,3}\s*版)$")
_COLUMN = lazy_re(rf"^(?:{'|'.join(sorted(_COLUMN_WORD, key=len, reverse=True))})+$")


def is_section_label(text: str) -> bool:
    """A newspaper page's section or column label, by its shape: a page number (第A2版, A03),
    column words (要闻, 区县新闻, 经济·综合), or one short place word joined to them (丰县·要闻).
    Short, never punctuated like a sentence."""
    text = text.strip()
    if not text or len(text) > 16 or re.search(r"[，。；！？“”\"、]", text):
        return False
    pieces = [p for p in re.split(r"\s*[·•|｜/／\-—：:]\s*|\s+", text) if p]
    if not pieces:
        return False
    kinds = ["page" if _PAGE_NUMBER.match(p) else "column" if _COLUMN.match(p) else
             "place" if re.fullmatch(rf"[{HAN}]{{2,4}}", p) else "" for p in pieces]
    if "" in kinds or kinds.count("place") > 1:
        return False
    return "column" in kinds or "page" in kinds


# a call to follow, like, share or download, as a social-media repost ends: 点个“在看”，分享给更多人,
# 长按识别二维码关注, 喜欢就点赞, 转发朋友圈, 扫码下载客户端
_CTA = lazy_re(r"点(?:个|一下|下)?[“\"「]?(?:赞|在看|亮|击|这里|此处)|在看|点赞|分享|转发|关注|收藏|长按|扫码|扫一扫"
               r"|扫描|识别|二维码|下载|客户端|[Aa][Pp][Pp]|公众号|朋友圈|视频号|留言|评论区|星标|置顶|订阅|戳|阅读原文"
               r"|往期|推荐阅读|更多精彩|小编|一键三连|[↓👇▼☟]")
# how a call to the reader opens (the line or one of its clauses): 请, 欢迎, 长按, 喜欢就…
_CTA_OPEN = lazy_re(r"(?:^|[，,！!~～\s])(?:请|欢迎|快来|记得|别忘了?|一起|赶紧|赶快|戳|点|长按|扫|喜欢|觉得|如果|更多|关注|分享"
                    r"|转发|收藏|下载|往期|推荐|阅读原文|来源|一键三连|[↓👇▼☟])")
# who a sentence of the article is about: a notice to residents (市民可扫码预约) is text
_CTA_SUBJECT = lazy_re(rf"^[{HAN}]{{0,6}}(?:市民|游客|居民|群众|村民|企业|商户|家长|学生|考生|患者|车主|旅客|参赛者|观众)")


# how to reach the account, under a repost: 投稿邮箱：…, 爆料热线：…
_CONTACT = lazy_re(r"[\w.+-]+@[\w-]+\.[\w.]+|^(?:投稿|爆料|新闻)?(?:邮箱|热线|电话|微信号?|QQ)\s*[:：]\s*[\w@.\-\s]+$"
                   r"|^(?:投稿|爆料|联系)(?:邮箱|热线|电话|方式)")


def is_contact(text: str) -> bool:
    """An account's contact line (投稿邮箱：…, 爆料热线：0516-…): chrome after the body."""
    return len(text) <= 60 and bool(_CONTACT.search(text)) and "。" not in text.rstrip("。")


def is_call_to_action(text: str) -> bool:
    """A social-media call to action: short, addressed to the reader, with the words of liking,
    sharing, following, scanning or downloading, no figures. Only meaningful after the body
    (page.py looks at the lines after the last paragraph)."""
    s = strip(text)
    if not s or len(s) > 36 or re.search(r"\d", s) or _CTA_SUBJECT.match(s):
        return False
    if "。" in s.rstrip("。"):
        return False
    return bool(_CTA.search(s)) and bool(_CTA_OPEN.search(s))


def is_breadcrumb(text: str) -> bool:
    """首页 > 新闻 > 正文, 您现在的位置：首页 » 县区, 网站首页 | 走进贾汪 | 政务公开, 新闻 - 徐州 - 正文:
    short segments between separators, no sentence punctuation."""
    if len(text) > 100:
        return False
    if _BREADCRUMB_START.match(text):
        return True
    if parse_byline(text):
        return False  # 文/记者 甲 图/记者 乙
    parts = [p for p in re.split(_SEPARATORS, text) if p.strip()]
    if len(parts) < 2:
        return False
    if "首页" in parts[0] or "首頁" in parts[0]:
        return True
    if re.search(r"[。！？；，]", text):
        return False
    # > and » never stand between words of prose; / | - do, so those need spaces around them
    # (新闻中心 / 公司新闻) or three segments: a menu or a path (the last may be the headline)
    if re.search(r">|＞|»|›|→", text) or re.search(r"\s(?:/|／|\||｜|-)\s", text):
        return all(len(p) <= 12 for p in parts[:-1]) and (len(parts[-1]) <= 12 or len(parts) >= 3)
    return len(parts) >= 3 and all(len(p) <= 12 for p in parts[:-1])


def is_chrome(text: str) -> bool:
    """A line of page furniture wherever it stands: widgets, counters, QR and share boxes,
    relative times (3天前), stock-code headers, image file names, bare URLs."""
    if len(text) > 80:
        return False
    if _WIDGETS.match(text) or _COUNTER.match(text) or _IMAGE_FILE.match(text) or _URL_LINE.match(text) \
            or END_LINE.match(text):
        return True
    if "。" in text:
        return False
    if (_CHROME_PHRASE.search(text) and len(text) <= 30) or _STOCK.search(text):
        return True
    return bool(_RELATIVE_TIME.search(text)) and len(text) <= 40


def is_site_name(text: str) -> bool:
    return bool(_SITE_NAME.match(text))


def is_menu(text: str) -> bool:
    """首页 新闻 政务 服务 互动: four or more short words separated by spaces, nothing else."""
    tokens = text.split()
    return len(tokens) >= 4 and all(len(t) <= 5 and not re.search(r"[，。；！？：]", t) for t in tokens)


FOOTER = lazy_re(r"^(?:上一篇|下一篇|上一条|下一条|上一页|下一页|相关新闻|相关阅读|相关链接|相关文章|延伸阅读|推荐阅读"
                 r"|热点推荐|热门推荐|猜你喜欢|往期推荐|往期回顾|精彩推荐|更多精彩|版权所有|Copyright|©|返回搜狐|声明[:：]"
                 r"|免责声明|本文来源|本文转自|本文来自|特别声明)", re.IGNORECASE)
END_MARK = lazy_re(r"\s*[(（](?:完|终|全文完|END)[)）]\s*$", re.IGNORECASE)
# an end mark on a line of its own: - END -, —— 完 ——, （完）
END_LINE = lazy_re(r"^[\s\-—–_=~·•*]*[(（]?\s*(?:END|THE END|完|全文完|终)\s*[)）]?[\s\-—–_=~·•*]*$", re.IGNORECASE)
