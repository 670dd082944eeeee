"""Phrase bank for the synthetic archive: real news phrasing (most of it lifted from the
seed article seeds/000_ba374b0bc59d2438.txt) paired with an English rendering.

Sentences are built from templates whose slots take these phrases, so the Chinese reads
like Xuzhou Daily copy and the English like its translation. Every template yields one
sentence ending in 。 with no other sentence enders, so builder.segment.split_sentences
returns exactly the sentences the generator put in.
"""

# (zh, en) pairs -------------------------------------------------------------

ACTIONS = [
    ("加快推进重大项目建设", "speeding up the construction of major projects"),
    ("持续优化营商环境", "continuing to improve the business environment"),
    ("全力拼抢“央字号”“龙头型”“旗舰型”企业", "competing hard for central state-owned, leading and flagship enterprises"),
    ("坚持生产性服务业和生活性服务业“双向发力”", "developing producer and consumer services side by side"),
    ("推进制度和技术双轮驱动", "driving change through both institutions and technology"),
    ("壮大新兴产业、布局未来产业", "growing emerging industries and planning for the industries of the future"),
    ("围绕主导产业和特色产业构建专精特新“产业共同体”", "building a community of specialised enterprises around its leading and distinctive industries"),
    ("充分利用搬迁后的企业旧厂房及腾退土地", "making full use of vacated factory buildings and freed-up land"),
    ("在产业转型升级上下硬功", "working hard on industrial transformation and upgrading"),
    ("在城市更新改造上再提速", "accelerating urban renewal"),
    ("在民生服务保障上求实效", "seeking real results in public services"),
    ("深度挖掘历史文化资源", "making deeper use of its historical and cultural heritage"),
    ("精心实施老旧小区综合整治", "carefully renovating old residential compounds"),
    ("广泛应用先进技术、先进工艺、先进设备", "widely applying advanced technology, processes and equipment"),
    ("重实体、兴产业、抓项目", "focusing on the real economy, industry and projects"),
    ("围绕产业链精准招商", "targeting investment along the industrial chain"),
    ("加快塑造主导产业鲜明的产业生态圈", "shaping an industrial ecosystem with clear leading industries"),
    ("推动社区人员下沉社区抓治理", "sending community staff into neighbourhoods to handle governance"),
    ("强化要素保障和服务", "strengthening the supply of land, energy and services"),
    ("推进数字化转型和智能化改造", "pushing forward digital transformation and smart upgrades"),
    ("聚焦居民需求提升服务能力", "focusing on residents' needs and improving services"),
    ("培育壮大创新产业集群", "nurturing and expanding innovative industrial clusters"),
]

GOALS = [
    ("打造淮海经济区高端商贸商务核心区", "make it the high-end commerce core of the Huaihai Economic Zone"),
    ("打造高新技术产业标杆区", "make it a benchmark zone for high-tech industry"),
    ("建设产城融合发展示范区", "build a demonstration zone for integrated industrial and urban development"),
    ("争创社会治理创新先行区", "become a pioneer in innovative social governance"),
    ("抢占产业制高点、增强企业竞争力", "seize the commanding heights of industry and make enterprises more competitive"),
    ("推动产业链高端攀升", "move the industrial chain up to the high end"),
    ("跑出建设产业强市、打造区域中心的“加速度”", "speed up the building of a strong industrial city and a regional centre"),
    ("实现城市运行“高赋能、全覆盖、强监管”", "give the city's operations strong support, full coverage and tight oversight"),
    ("争创全国老工业区搬迁改造的典型样板", "become a national model for relocating and renovating old industrial areas"),
    ("打造全球领先的新能源产业基地", "build a world-leading new-energy industrial base"),
    ("形成具有自主知识产权的核心技术", "develop core technology with its own intellectual property"),
    ("突破“卡脖子”技术、实现国产化替代", "break through chokepoint technologies and replace imports with domestic products"),
    ("让居民感受到宜居宜业", "let residents feel that it is a good place to live and work"),
]

RESULTS = [
    ("创新活力明显增强", "innovation has clearly gained momentum"),
    ("项目建设跑出了“加速度”", "project construction has gathered speed"),
    ("产业集聚效应持续显现", "the clustering effect of industry keeps showing"),
    ("发展质效稳步提升", "the quality and efficiency of growth are rising steadily"),
    ("群众获得感显著增强", "residents feel clear benefits"),
    ("企业竞争力不断增强", "enterprises are becoming ever more competitive"),
    ("城市功能进一步提升", "the city's functions have improved further"),
    ("消费市场持续回暖", "consumer spending keeps recovering"),
]

QUOTES = [
    ("产业是根基，项目是抓手", "Industry is the foundation, and projects are the lever"),
    ("预计本周内将有部分产线率先投产", "We expect some production lines to start up this week"),
    ("我们将不断挑战“卡脖子”难题，创造更大价值", "We will keep taking on chokepoint problems and create more value"),
    ("企业发展离不开良好的营商环境", "Enterprises cannot grow without a good business environment"),
    ("今年的产能将全部释放", "This year's capacity will be fully released"),
    ("我们看好这里的产业基础和发展前景", "We are confident in the industrial base and prospects here"),
]

SPEAKERS = [
    ("相关负责人", "a person in charge"),
    ("公司总经理", "the company's general manager"),
    ("发改局相关负责人", "an official of the development and reform bureau"),
    ("项目负责人", "the project manager"),
    ("高级工程师", "a senior engineer"),
]

PROJECTS = [
    ("颗粒硅产线", "granular silicon production line"),
    ("异质结大尺寸硅片项目", "large heterojunction wafer project"),
    ("动力电池生产基地", "power battery production base"),
    ("钠离子电池生产基地", "sodium-ion battery production base"),
    ("12英寸半导体大硅片项目", "12-inch semiconductor wafer project"),
    ("动力电池PACK项目", "battery pack project"),
    ("光通信晶片项目", "optical communications wafer project"),
    ("智能制造产业园", "smart manufacturing industrial park"),
    ("高端商业综合体", "high-end commercial complex"),
    ("智慧社区综合指挥平台", "smart community command platform"),
    ("电子级多晶硅生产线", "electronic-grade polysilicon production line"),
    ("新型储能电站", "new energy-storage power station"),
]

STAGES = [
    ("即将投产", "is about to start production"),
    ("已进入基础施工阶段", "has entered the foundation stage"),
    ("正开足马力生产", "is running at full capacity"),
    ("计划年底部分产线投产运营", "plans to put some lines into operation by the end of the year"),
    ("预计年内一期项目竣工投产", "expects phase one to be completed and in production this year"),
    ("已完成通电调试和工艺认证", "has finished power-on commissioning and process certification"),
]

INFRA = [
    ("轨道交通3号线二期", "phase two of Metro Line 3"),
    ("白云立交扩容工程", "the Baiyun interchange expansion"),
    ("公交首末站", "a bus terminal"),
    ("雨污管网改造", "storm and sewage pipe renovation"),
    ("新建停车位", "new parking spaces"),
    ("照明及监控工程", "lighting and surveillance works"),
    ("易淹易涝积水点治理", "the repair of flood-prone spots"),
]

SEASONS = [
    ("初夏时节", "In early summer"),
    ("本月初", "Earlier this month"),
    ("今年以来", "Since the start of the year"),
    ("近两年来", "Over the past two years"),
    ("上个月", "Last month"),
    ("截至目前", "So far"),
]

HEADINGS = [
    ("引龙头，铸链条", "Attracting leaders, forging chains"),
    ("强研发，破瓶颈", "Stronger research, fewer bottlenecks"),
    ("迎风口，上产能", "Riding the trend, adding capacity"),
    ("拓赛道，抢先机", "New tracks, early moves"),
    ("高端商贸商务核心", "A high-end commerce core"),
    ("高新技术产业标杆", "A benchmark for high-tech industry"),
    ("产城融合发展示范", "A model of industry-city integration"),
    ("社会治理创新先行", "A pioneer in social governance"),
    ("项目为王，实干为先", "Projects first, action first"),
    ("优环境，增活力", "A better environment, more vitality"),
    ("惠民生，暖民心", "Better livelihoods, warmer hearts"),
    ("数字赋能，智慧治理", "Digital power, smart governance"),
]

SUBHEADINGS = [
    ("光伏能源核心材料技术规模全球领跑", "Core photovoltaic materials lead the world in technology and scale"),
    ("多类半导体关键材料填补空白", "Several key semiconductor materials fill domestic gaps"),
    ("新能源动力电池项目加快集聚", "New-energy battery projects cluster faster"),
    ("光通信、智能穿戴材料谋求突破", "Optical communications and wearable materials seek breakthroughs"),
    ("潮玩佳地闪耀淮海经济区", "A trendy destination shines across the Huaihai Economic Zone"),
    ("创新引领发展，跑出“加速度”", "Innovation leads growth and picks up speed"),
    ("产城互促、宜居宜业", "Industry and city reinforce each other"),
    ("透过“智”看智慧社区建设", "Smart community building seen through smart governance"),
]

TITLE_TOPICS = [
    ("“四区”同建，在创新中谋发展", "building four zones at once and seeking growth through innovation"),
    ("龙头企业集聚，大项目舒展新姿态", "leading enterprises cluster as major projects take shape"),
    ("新能源新材料产业动作频频", "a busy season for new energy and new materials"),
    ("城市更新改造再提速", "urban renewal speeds up"),
    ("智慧社区建设迈入新阶段", "smart community building enters a new stage"),
    ("重点项目建设跑出“加速度”", "key projects pick up speed"),
    ("商圈客流创新高", "shopping district footfall hits a record"),
    ("专精特新企业加快成长", "specialised enterprises grow faster"),
]

SERIES = [
    ("“拼”出中国式现代化徐州新图景", "Striving for a new picture of Chinese-style modernisation in Xuzhou"),
    ("项目攻坚进行时", "Projects in the final push"),
    ("走进专精特新企业", "Inside specialised enterprises"),
]

AUTHORS = ["马壮壮", "梅屹寒", "刘贺", "张晓培", "潘凤萍", "张双琳", "经开轩", "王晨", "李明远", "赵可欣"]

FIGURES = [
    ("{dist}美景", "A view of {dist_en}", "通讯员供图", "Photo courtesy of a correspondent"),
    ("{dist}项目建设现场", "A construction site in {dist_en}", "记者摄", "Photo by our reporter"),
]

# Enterprise name parts ------------------------------------------------------

PLACES = [("徐州", "Xuzhou"), ("江苏", "Jiangsu"), ("淮海", "Huaihai"), ("苏北", "Subei"), ("彭城", "Pengcheng")]

# Two-character cores: a real-sounding trade name each (pinyin gives the English).
CORES = [
    "鑫华", "金阳", "天通", "弘元", "中能", "华恒", "鑫晶", "凯巨", "维能", "协和", "恒瑞", "汉邦",
    "彭祖", "泰瑞", "昊天", "博远", "中晟", "瑞丰", "新港", "宏图", "科达", "永安", "恒通",
    "金鼎", "鼎盛", "万邦", "荣盛", "德润", "华美", "嘉禾", "盛世", "同创", "启明", "光大", "海纳",
    "卓越", "东方", "信达", "天合", "远景", "正泰", "国信", "润泽", "安泰", "合盛", "明阳", "长城",
    "九州", "汇通", "云帆", "宝龙", "华晨", "中科", "天宇", "星辰", "锦程", "思源", "龙腾", "飞跃", "博瑞",
]

INDUSTRY_WORDS = {
    # industry id: [(zh word, en word)]
    "commerce": [("商贸", "Trading"), ("商业管理", "Commercial Management"), ("购物中心", "Shopping Center")],
    "high-tech": [("智能装备", "Intelligent Equipment"), ("信息技术", "Information Technology"), ("机器人", "Robotics")],
    "urban-development": [("城市建设", "Urban Construction"), ("置业", "Real Estate"), ("城市更新", "Urban Renewal")],
    "governance": [("智慧城市", "Smart City"), ("数字科技", "Digital Technology")],
    "culture-tourism": [("文旅", "Culture and Tourism"), ("文化传媒", "Culture and Media")],
    "photovoltaics": [("光伏", "Photovoltaic"), ("硅业", "Silicon"), ("新能源", "New Energy")],
    "semiconductors": [("半导体", "Semiconductor"), ("微电子", "Microelectronics"), ("芯片", "Chip")],
    "batteries": [("动力电池", "Power Battery"), ("储能", "Energy Storage"), ("锂电", "Lithium Battery")],
    "new-materials": [("新材料", "New Materials"), ("材料科技", "Materials Technology")],
    "optical-communications": [("光电", "Optoelectronics"), ("光通信", "Optical Communications")],
    "green-energy": [("绿色能源", "Green Energy"), ("氢能", "Hydrogen Energy"), ("节能环保", "Energy Saving")],
    "finance": [("投资", "Investment"), ("产业基金", "Industrial Fund"), ("资本", "Capital")],
}

SUFFIXES = [
    ("科技有限公司", "Technology Co., Ltd."),
    ("股份有限公司", "Co., Ltd."),
    ("集团有限公司", "Group Co., Ltd."),
    ("有限公司", "Co., Ltd."),
]
