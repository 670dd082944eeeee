from decimal import Decimal

import pytest

from builder.translate.numbers import convert, find_amounts, format_number

CASES = [
    ("14224.4万元", "CNY 142.244 million"),
    ("10亿元", "CNY 1 billion"),
    ("100亿元", "CNY 10 billion"),
    ("6亿美元", "USD 600 million"),
    ("3000万元", "CNY 30 million"),
    ("3.12万元", "CNY 31,200"),
    ("500元", "CNY 500"),
    ("产值超120亿元", "产值more than CNY 12 billion"),
    ("11.4平方公里", "11.4 km²"),
    ("4.6万吨", "46,000 tonnes"),
    ("10万吨", "100,000 tonnes"),
    ("1吨", "1 tonne"),
    ("15吉瓦时", "15 GWh"),
    ("PACK15吉瓦时", "PACK15 GWh"),
    ("100兆瓦", "100 MW"),
    ("3.9亿片", "390 million"),
    ("电池片3.9亿片以上", "电池片more than 390 million cells"),
    ("晶片420万片", "晶片4.2 million wafers"),
    ("同比增长46.9%", "up 46.9% year on year"),
    ("同比增长超200%", "up more than 200% year on year"),
    ("同比下降5%", "down 5% year on year"),
    ("较2019年增长28.9%", "up 28.9% on 2019"),
    ("较2019年增长超130%", "up more than 130% on 2019"),
    ("外地客流占比超30%", "外地客流占比more than 30%"),
    ("覆盖率达95%", "覆盖率达95%"),
    ("12英寸", "12-inch"),
    ("4至8英寸", "4- to 8-inch"),
    ("150万人次", "1.5 million visits"),
    ("超150万人次", "more than 1.5 million visits"),
    ("5847户", "5,847 households"),
    ("近17万户", "nearly 170,000 households"),
    ("6家企业", "6企业"),
    ("450多家", "more than 450"),
    ("16个老旧小区", "16老旧小区"),
    ("6月12日", "June 12"),
    ("6月8日，", "June 8，"),
    ("2019年3月", "March 2019"),
    ("2021年12月", "December 2021"),
    ("2023年6月12日", "June 12, 2023"),
    ("2022年，", "2022，"),
    ("2023年度", "2023"),
    ("150万", "1.5 million"),
    # left alone: no unit that needs converting, or not a figure at all
    ("3.0新发展阶段", "3.0新发展阶段"),
    ("5A级景区", "5A级景区"),
    ("3号线", "3号线"),
    ("备案科技型中小企业177家", "备案科技型中小企业177"),
]


@pytest.mark.parametrize("zh, en", CASES)
def test_conversion_table(zh, en):
    assert convert(zh) == en


def test_decimal_arithmetic_has_no_float_error():
    # 0.1 + 0.2 style errors would show as 142.24400000000001 or 1.1500000000000001
    assert convert("14224.4万元") == "CNY 142.244 million"
    assert convert("1.15亿元") == "CNY 115 million"
    assert convert("0.3万吨") == "3,000 tonnes"
    assert format_number(Decimal("1000000000")) == "1 billion"


def test_spans_point_at_the_chinese():
    text = "共实现销售额14224.4万元，同比增长46.9%"
    found = find_amounts(text)
    assert [text[a.start:a.end] for a in found] == ["14224.4万元", "同比增长46.9%"]


def test_tail_of_a_number_is_not_a_date():
    assert convert("128月") == "128月"
