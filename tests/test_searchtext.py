"""Filter and meta values handed to Pagefind are plain text (Pagefind's Default UI inserts
filter names and values as raw HTML: a label with markup in it ran script on the search page)."""

from builder.render.searchtext import name_key, plain


def test_markup_is_taken_out_of_index_values():
    assert plain('鼓楼<img src=x onerror="document.title=1">区') == "鼓楼区"
    assert plain("<script>alert(1)</script>Gulou") == "alert(1)Gulou"
    assert plain("x <img src=x onerror=alert(1)") == "x img src=x onerror=alert(1)"
    assert plain("R&D, A < B  and\nC") == "R&D, A < B and C"


def test_name_key_folds_width_case_and_space():
    assert name_key(" Xinhua  Semiconductor ") == name_key("ＸＩＮＨＵＡ semiconductor") == "xinhua semiconductor"
