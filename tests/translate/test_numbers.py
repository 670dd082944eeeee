"""Figures: the exact English of the forms news uses, what is left alone, and the check after MT."""

from decimal import Decimal

import pytest

from builder.translate.numbers import (
    chinese_number,
    convert,
    english_values,
    find_amounts,
    format_number,
    missing_figures,
    source_figures,
)

# (Chinese, exact English after conversion). Text around a figure is kept as it is, so a
# row also shows where a conversion starts and ends; a row whose English equals its Chinese
# is left to the engine (and to the check after it).
CASES = [
    # amounts of money
    ("14224.4万元", "CNY 142.244 million"),
    ("10亿元", "CNY 1 billion"),
    ("100亿元", "CNY 10 billion"),
    ("1.15亿元", "CNY 115 million"),
    ("3000万元", "CNY 30 million"),
    ("3.12万元", "CNY 31,200"),
    ("500元", "CNY 500"),
    ("1元", "CNY 1"),
    ("0.5万元", "CNY 5,000"),
    ("2.5万亿元", "CNY 2.5 trillion"),
    ("6亿美元", "USD 600 million"),
    ("5000万美元", "USD 50 million"),
    ("10亿港元", "HKD 1 billion"),
    ("3亿港币", "HKD 300 million"),
    ("200万欧元", "EUR 2 million"),
    ("1.2亿日元", "JPY 120 million"),
    ("人民币5000万元", "CNY 50 million"),
    ("5000万元人民币", "CNY 50 million"),
    ("人民币5000万", "CNY 50 million"),
    ("3千万元", "CNY 30 million"),
    ("3000元/吨", "CNY 3,000 per tonne"),
    ("0.6元/千瓦时", "CNY 0.6 per kWh"),
    # approximations
    ("1500多万元", "more than CNY 15 million"),
    ("10余亿元", "more than CNY 1 billion"),
    ("20余万人", "more than 200,000 people"),
    ("50多万吨", "more than 500,000 tonnes"),
    ("超150万人次", "more than 1.5 million"),
    ("产值超120亿元", "产值more than CNY 12 billion"),
    ("超过5000万元", "more than CNY 50 million"),
    ("逾3亿元", "more than CNY 300 million"),
    ("近17万户居民", "nearly 170,000居民"),
    ("近17万户。", "nearly 170,000 households。"),
    ("约50亿元", "about CNY 5 billion"),
    ("将近2万吨", "nearly 20,000 tonnes"),
    ("不足5万元", "less than CNY 50,000"),
    ("不到5家", "fewer than five"),
    ("450多家", "more than 450"),
    ("400多项", "more than 400"),
    ("近5家", "nearly five"),
    ("3.9亿片以上", "more than 390 million"),
    ("10万吨以上", "more than 100,000 tonnes"),
    ("100万元左右", "about CNY 1 million"),
    ("2000余人，", "more than 2,000 people，"),
    ("30多个国家", "more than 30国家"),
    # Chinese numerals
    ("两亿元", "CNY 200 million"),
    ("三千万", "30 million"),
    ("十二亿", "1.2 billion"),
    ("一百五十万", "1.5 million"),
    ("一亿五千万元", "CNY 150 million"),
    ("五千万美元", "USD 50 million"),
    ("三十余家", "more than 30"),
    ("二十多万人", "more than 200,000 people"),
    ("一万亿元", "CNY 1 trillion"),
    ("十五元", "CNY 15"),
    ("五元", "五元"),  # a lone numeral is idiom too often (一元化, 一人一档): left to the engine
    # bare multipliers
    ("150万", "1.5 million"),
    ("5万", "50,000"),
    ("3.5亿", "350 million"),
    # units: area, length, weight, energy, power, size
    ("11.4平方公里", "11.4 km²"),
    ("15万平方米", "150,000 m²"),
    ("1200亩", "1,200 mu"),
    ("约1200亩", "about 1,200 mu"),
    ("50公顷", "50 hectares"),
    ("1公顷", "1 hectare"),
    ("30公里", "30 km"),
    ("4.6万吨", "46,000 tonnes"),
    ("10万吨", "100,000 tonnes"),
    ("1吨", "1 tonne"),
    ("15吉瓦时", "15 GWh"),
    ("PACK15吉瓦时", "PACK15 GWh"),
    ("1.5亿千瓦时", "150 million kWh"),
    ("100兆瓦", "100 MW"),
    ("100万千瓦", "1 million kW"),
    ("5千瓦", "5 kW"),
    ("2吉瓦", "2 GW"),
    ("12英寸", "12-inch"),
    ("28纳米", "28 nm"),
    ("500立方米", "500 m³"),
    # counters
    ("5847户，", "5,847 households，"),
    ("5847户居民", "5847户居民"),
    ("3万辆", "30,000 vehicles"),
    ("120台套", "120 sets"),
    ("3万套。", "30,000 sets。"),
    ("420万片", "4.2 million"),
    ("6家企业", "6家企业"),
    ("177家", "177家"),
    ("16个老旧小区", "16个老旧小区"),
    ("28处", "28处"),
    ("4轮融资", "4轮融资"),
    ("3万个", "30,000"),
    # percentages and percentage points
    ("同比增长46.9%", "同比增长46.9%"),
    ("超30%", "more than 30%"),
    ("同比增长超200%", "同比增长more than 200%"),
    ("30%以上", "more than 30%"),
    ("增长-3.2%", "增长-3.2%"),
    ("-3.2%", "-3.2%"),
    ("下降3.2%", "下降3.2%"),
    ("提高2.5个百分点", "提高2.5 percentage points"),
    ("下降1个百分点", "下降1 percentage point"),
    ("收窄0.5百分点", "收窄0.5 percentage points"),
    ("-0.5个百分点", "-0.5 percentage points"),
    ("百分之三十", "30%"),
    ("覆盖率达95%", "覆盖率达95%"),
    # ranges
    ("3至5亿元", "CNY 300 million to 500 million"),
    ("3-5亿元", "CNY 300–500 million"),
    ("5000万至2亿元", "CNY 50 million to 200 million"),
    ("3-5万吨", "30,000–50,000 tonnes"),
    ("3至5万吨", "30,000 to 50,000 tonnes"),
    ("4至8英寸", "4- to 8-inch"),
    ("8-12英寸", "8- to 12-inch"),
    ("20%—30%", "20–30%"),
    ("20%至30%", "20% to 30%"),
    ("20-30%", "20–30%"),
    ("约3至5亿元", "about CNY 300 million to 500 million"),
    ("3至5万人。", "30,000 to 50,000 people。"),
    ("5至3亿元", "5至3亿元"),
    ("3至5万", "30,000 to 50,000"),
    ("3至5", "3至5"),
    ("3至5家", "3至5家"),
    ("3至5万家", "30,000 to 50,000"),
    # dates
    ("6月12日", "June 12"),
    ("6月12号", "June 12"),
    ("6月8日，", "June 8，"),
    ("2019年3月", "March 2019"),
    ("2021年12月", "December 2021"),
    ("2023年6月12日", "June 12, 2023"),
    ("6月", "June"),
    ("6月份", "June"),
    ("今年2月", "今年February"),
    ("2月29日", "February 29"),
    ("2024年2月29日", "February 29, 2024"),
    ("1至7月", "January to July"),
    ("1月至7月", "January to July"),
    ("1—5月", "January–May"),
    ("1-5月份", "January–May"),
    ("2023年1至7月", "January to July 2023"),
    ("2023年1—5月", "January–May 2023"),
    # years and plain numbers stay for the engine to copy
    ("2022年，", "2022年，"),
    ("2023年度", "2023年度"),
    ("“343”", "“343”"),
    # not figures at all
    ("3.0新发展阶段", "3.0新发展阶段"),
    ("5A级景区", "5A级景区"),
    ("3号线", "3号线"),
    ("第3届", "第3届"),
    ("第一季度", "第一季度"),
    ("一号工程", "一号工程"),
    ("二期", "二期"),
    ("两汉文化", "两汉文化"),
    ("四区同建", "四区同建"),
    ("十万火急", "十万火急"),
    ("千万不要", "千万不要"),
    ("百万富翁", "百万富翁"),
    ("一人一档", "一人一档"),
    ("百亿级大项目", "百亿级大项目"),
    ("128月", "128月"),
    ("Mate60手机", "Mate60手机"),
    # invalid input: left alone whole, never half converted
    ("2月30日", "2月30日"),
    ("2023年2月29日", "2023年2月29日"),
    ("4月31日", "4月31日"),
    ("13月", "13月"),
    ("0月", "0月"),
    ("6月32日", "6月32日"),
    ("7至1月", "7至1月"),
    ("约3亿元以上", "约3亿元以上"),
    ("10多万多元", "10多万多元"),
    ("人民币50吨", "人民币50吨"),
    ("二三万吨", "二三万吨"),
]


@pytest.mark.parametrize("zh, en", CASES, ids=[zh for zh, _ in CASES])
def test_figure_table(zh, en):
    assert convert(zh) == en


def test_the_table_is_big_enough():
    assert len(CASES) >= 100 and len({zh for zh, _ in CASES}) == len(CASES)


def test_decimal_arithmetic_has_no_float_error():
    # 0.1 + 0.2 style errors would show as 142.24400000000001 or 1.1500000000000001
    assert convert("14224.4万元") == "CNY 142.244 million"
    assert convert("0.3万吨") == "3,000 tonnes"
    assert format_number(Decimal("1000000000")) == "1 billion"
    assert format_number(Decimal("999999")) == "999,999"


def test_chinese_numerals():
    assert chinese_number("一百零五") == 105
    assert chinese_number("十二") == 12
    assert chinese_number("两千三百万") == 23_000_000
    assert chinese_number("一万亿") == 10 ** 12
    assert chinese_number("二〇二三") is None  # a year written digit by digit, not a number
    assert chinese_number("十十") is None


def test_spans_point_at_the_chinese():
    text = "共实现销售额14224.4万元，同比增长超46.9%，1至7月累计150万人次"
    found = find_amounts(text)
    assert [text[a.start:a.end] for a in found] == ["14224.4万元", "超46.9%", "1至7月", "150万人次"]


# ---- the check after translation ----------------------------------------------

def test_source_figures_are_what_the_engine_was_left_with():
    figures = source_figures("ZBB等6家企业，2019年，百亿级项目，5A级景区，几十万人，第3届，千万不要，“343”，1.5万")
    assert figures == [("6", 6), ("2019", 2019), ("百亿", 10 ** 10), ("5A", None), ("343", 343),
                       ("1.5万", 15000)]


def test_english_values_read_digits_words_and_scales():
    values = english_values("six firms, 2,019 tonnes, CNY 10 billion, 1.5-million, twelve, the third, 5A-rated")
    assert {6, 2019, 10 ** 10, 1_500_000, 12, 3, 5} <= values


@pytest.mark.parametrize("zh, en, missing", [
    ("等6家企业，较2019年增长", "six companies, more than in 2019", []),
    ("等6家企业，较2019年增长", "6 companies, more than in 2018", ["2019"]),
    ("百亿级大项目", "a project worth some CNY 10 billion", []),
    ("百亿级大项目", "a hundred-billion-class project", ["百亿"]),  # the wrong magnitude
    ("投资1.5万", "an investment of 1.5", ["1.5万"]),  # 10⁴ lost
    ("投资1.5万", "an investment of 15,000", []),
    ("打造5A级景区", "to build 5A-rated scenic areas", []),
    ("年产20GWh", "20 GWh a year", []),
    ("年产20GWh", "a year", ["20GWh"]),
    ("2月30日", "February 30", ["2"]),  # no such date: flagged for a person
    ("第3届", "the third", []),
])
def test_missing_figures(zh, en, missing):
    assert missing_figures(zh, en) == missing
