"""Quality flags: each catches the failure it is named for, none fires on the reviewed seed,
and the PO comment keeps the values the thresholds compared."""

import statistics

import pytest
from conftest import ROOT
from engines import PerfectEngine, ideal_english
from test_perfect import reviewed_seed
from tiny_project import write_project

from builder import content
from builder.config import load_config
from builder.translate import memory, protector, quality, translate_site
from builder.translate.engine import MAX_DECODING_LENGTH, Output
from builder.translate.terms import restore


@pytest.fixture(scope="module")
def masker():
    config = load_config(ROOT)
    return protector(config, content.load_site(config))


def flags(masker, zh, output, **kw):
    masked = masker.mask(zh)
    restored, lost = restore(masked, output)
    return quality.assess(masked, output, restored, placeholder=bool(lost), **kw).flags


SENTENCE = "鼓楼区坚持生产性服务业和生活性服务业双向发力，不断发展城区经济新业态，为商业载体注入全新的血液与活力。"


@pytest.mark.parametrize("zh, output, expected", [
    # a good translation: nothing
    (SENTENCE, "ZBB is developing producer and consumer services side by side and keeps fostering new forms "
               "of urban economic activity, injecting fresh blood and vitality into its commercial properties.", ()),
    # omission: Argos drops the second half of a long sentence
    (SENTENCE, "ZBB insists on two-way efforts.", ("omission",)),
    # addition: a hallucinated continuation
    ("项目开工。", "The project started. " + "It is a very important project for the whole region and " * 3
     + "everyone is happy.", ("repetition",)),  # too short a source to judge by length; the loop shows
    (SENTENCE, "ZBB " + "is developing producer and consumer services and also many other services of every kind "
     * 6, ("addition", "repetition")),
    # repetition loops, of any length
    ("公司发展了很多的业务，也建设了很多项目。", "The company has developed many businesses, "
     "the construction of the construction of the construction of projects.", ("repetition",)),
    ("公司发展了很多的业务，也建设了很多项目。", "The company the company the company has many businesses and projects.",
     ("repetition",)),
    ("公司发展了很多的业务，也建设了很多项目。", "It has developed new business new business in many new projects.",
     ("repetition",)),
    ("公司发展了很多的业务，也建设了很多项目。", "The company 舰舰舰舰舰舰舰 has developed many businesses and projects.",
     ("repetition", "chinese-left")),
    # cut at the decoding limit
    ("公司发展了很多的业务，也建设了很多项目。", "The company has developed many businesses and built many",
     ("cut",)),
    # negation dropped (and kept)
    ("该项目尚未投产，也没有发生安全事故。", "The project has gone into production and had safety accidents.",
     ("negation",)),
    ("该项目尚未投产，也没有发生安全事故。", "The project has not yet gone into production and has had no accidents.", ()),
    ("该电池无钴，十分安全。", "The battery is cobalt-free and very safe.", ()),
    # words with 不 / 无 / 未 that do not negate
    ("鼓楼区不断探索社会治理创新，谋未来，热情有增无减，建设无尘车间，无锡企业也来了。",
     "ZBB keeps exploring governance innovation, plans for the future, with ever-growing enthusiasm, builds "
     "dust-proof workshops, and firms from Wuxi came too.", ()),
    # figures: dropped, or the wrong magnitude
    ("共有177家企业，较2019年增长。", "There are 177 companies, more than in 2019.", ()),
    ("共有177家企业，较2019年增长。", "There are many companies, more than in 2019.", ("figure",)),
    ("百亿级大项目开工。", "A hundred-billion-class project has started.", ("figure",)),
    ("百亿级大项目开工。", "A project worth CNY 10 billion has started.", ()),
    # a lost placeholder
    ("金鹰国际销售额大增。", "Sales at the shopping centre rose sharply.", ("placeholder",)),
    # untranslated Chinese
    ("金鹰国际销售额大增。", "ZBB 销售额 rose sharply.", ("chinese-left",)),
])
def test_each_flag_catches_its_failure(masker, zh, output, expected):
    limit = MAX_DECODING_LENGTH
    pieces = limit if expected == ("cut",) else 20
    assert flags(masker, zh, output, pieces=pieces, limit=limit) == expected


def test_low_score_compares_the_mean_log_probability():
    masked = protector(load_config(ROOT), content.load_site(load_config(ROOT))).mask("项目开工。")
    unsure = Output("The project started.", -40.0, 8)
    assert unsure.mean_logprob == pytest.approx(-40.0 * 8 ** 0.2 / 8)
    assert quality.assess(masked, unsure.text, unsure.text, score=unsure.mean_logprob, pieces=8).flags == ("low-score",)
    sure = Output("The project started.", -0.3, 8)
    assert quality.assess(masked, sure.text, sure.text, score=sure.mean_logprob, pieces=8).flags == ()


def test_every_flag_has_a_meaning():
    assert set(quality.FLAGS) == {"placeholder", "markup", "omission", "addition", "repetition", "cut", "negation",
                                  "figure", "chinese-left", "low-score"}
    assert all(code.islower() and " " not in code and meaning for code, meaning in quality.FLAGS.items())


def test_thresholds_as_calibrated_on_the_reviewed_seed(masker):
    """The numbers quality.py's docstring gives, recomputed: the seed's ratios and the
    false-positive rate of every flag on its 84 reviewed segments (0)."""
    judged = []
    fired = {code: 0 for code in quality.FLAGS}
    for zh, en in reviewed_seed().values():
        masked = masker.mask(zh)
        ideal = ideal_english(masked, en)
        ratio = quality.length_ratio(masked.source, ideal)
        if ratio is not None:
            judged.append(ratio)
        for code in quality.assess(masked, ideal, en, pieces=len(ideal.split()), limit=MAX_DECODING_LENGTH).flags:
            fired[code] += 1
    assert len(judged) == 64
    assert round(min(judged), 2) == 2.82 and round(max(judged), 2) == 6.0
    assert round(statistics.median(judged), 1) == 4.3
    assert 0.7 * min(judged) == pytest.approx(quality.MIN_RATIO, abs=0.03)
    assert 1.5 * max(judged) == pytest.approx(quality.MAX_RATIO)
    assert fired == {code: 0 for code in quality.FLAGS}


def test_the_po_comment_keeps_the_values_the_thresholds_compared(tmp_path):
    root = write_project(tmp_path / "p")
    config = load_config(root)
    site = content.load_site(config)
    masker = protector(config, site)
    answers = {masker.mask(seg.zh).source: "Short." for seg in site.briefings[0].segments()}

    class Unsure(PerfectEngine):
        def translate_in_batches(self, sources):
            for indices, outputs in super().translate_in_batches(sources):
                yield indices, [Output(o.text, -9.0, 4) for o in outputs]

    translate_site(config, site, progress=False, engine=Unsure(answers))
    po = memory.load_po(memory.memory_path(config.content, site.briefings[0].slug), "po")
    entry = next(e for e in po if e.msgctxt == "s0.p1.1")
    values = dict(line.split(": ", 1) for line in entry.comment.splitlines())
    mean = -9.0 * 4 ** 0.2 / 4
    assert float(values["score"]) == pytest.approx(mean, abs=1e-4) and mean < quality.LOW_SCORE
    ratio = quality.length_ratio(masker.mask(entry.msgid).source, "Short.")
    assert float(values["ratio"]) == pytest.approx(ratio, abs=0.01) and ratio < quality.MIN_RATIO
    assert values["flags"] == "placeholder, omission, low-score"
    assert values["engine"] == "perfect test-engine"
