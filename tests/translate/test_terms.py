import unicodedata
import zipfile

import sentencepiece as spm
from tiny_project import GLOSSARY, TAXONOMY

from builder.content import parse_glossary, parse_taxonomy
from builder.model import Site
from builder.translate.terms import Protector, restore, token


def _site() -> Site:
    districts, industries = parse_taxonomy(TAXONOMY, "content/taxonomy.yaml")
    return Site((), districts, industries, parse_glossary(GLOSSARY, "content/glossary/enterprises.yaml"))


def test_tokens_are_distinct_letters_only():
    tokens = [token(i) for i in range(60)]
    assert len(set(tokens)) == 60
    assert all(t.isalpha() and t.isupper() and "_" not in t for t in tokens)
    assert tokens[:2] == ["ZQA", "ZQB"]


def test_names_and_figures_are_masked_and_restored():
    p = Protector(_site())
    masked = p.mask("金鹰国际、苏宁广场等6家企业实现销售额14224.4万元，同比增长46.9%。")
    assert "金鹰国际" not in masked.source and "万元" not in masked.source
    assert masked.source == "ZQA、ZQB等ZQC企业实现销售额ZQD，ZQE。"
    engine_output = "ZQA, ZQB and other ZQC companies achieved sales of ZQD, ZQE."
    en, flags = restore(masked, engine_output)
    assert flags == ()
    assert en == ("Golden Eagle International, Suning Plaza and other 6 companies achieved sales of "
                  "CNY 142.244 million, up 46.9% year on year.")


def test_full_legal_name_gives_full_english_and_longest_form_wins():
    p = Protector(_site())
    masked = p.mask("江苏鑫华半导体科技股份有限公司完成融资，鑫华半导体表示")
    assert [s.en for s in masked.slots] == ["Jiangsu Xinhua Semiconductor Technology Co., Ltd.",
                                            "Xinhua Semiconductor"]


def test_district_full_name_and_keyword():
    p = Protector(_site())
    masked = p.mask("鼓楼区和经开区")
    assert [s.en for s in masked.slots] == ["Gulou District", "the Development Zone (XETDZ)"]
    en, flags = restore(p.mask("经开区很好"), "ZQA is good")
    assert en == "The Development Zone (XETDZ) is good" and flags == ()


def test_industry_label_is_lower_case_in_running_text():
    masked = Protector(_site()).mask("发展半导体产业")
    assert masked.slots[0].en == "semiconductors"


def test_placeholder_missing_doubled_or_invented_is_flagged():
    p = Protector(_site())
    masked = p.mask("金鹰国际和苏宁广场")
    assert restore(masked, "ZQA and the plaza")[1] == ("placeholder",)
    assert restore(masked, "ZQA and ZQB and ZQB")[1] == ("placeholder",)
    assert restore(masked, "ZQA and ZQB and ZQC")[1] == ("placeholder",)
    assert restore(masked, "ZQAs and ZQB")[1] == ("placeholder",)  # mangled: not the token
    assert restore(masked, "ZQA and ZQB")[1] == ()


def test_tokens_survive_sentencepiece_round_trip(tiny_model, tmp_path):
    """Masked text through a real SentencePiece model and argostranslate's decoding keeps every token."""
    with zipfile.ZipFile(tiny_model) as archive:
        name = next(n for n in archive.namelist() if n.endswith("sentencepiece.model"))
        (tmp_path / "sp.model").write_bytes(archive.read(name))
    sp = spm.SentencePieceProcessor(model_file=str(tmp_path / "sp.model"))
    p = Protector(_site())
    masked = p.mask("据统计，金鹰国际、苏宁广场等6家企业共实现销售额14224.4万元，同比增长46.9%；鼓楼区打造11.4平方公里的高新区。")
    pieces = sp.encode(masked.source, out_type=str)
    decoded = sp.decode_pieces(pieces).replace("▁", " ").replace("_", " ").strip()
    # nmt_nfkc folds full-width punctuation (，→ ,) but leaves the ASCII tokens untouched
    assert decoded == unicodedata.normalize("NFKC", masked.source)
    assert all(decoded.count(slot.token) == 1 for slot in masked.slots) and len(masked.slots) == 7
    # and an English-like output built from the same pieces keeps them too
    english = " ".join(s.token for s in masked.slots)
    decoded_en = sp.decode_pieces(sp.encode(english, out_type=str)).replace("▁", " ").replace("_", " ").strip()
    assert restore(masked, decoded_en)[1] == ()
