"""The build cache: a memo the stages consult, behind one narrow interface.

    memo.py    Memo: inputs and their fingerprints, values by content key, what the current
               site was made of, commit. The only part the stages use.
    plan.py    typed dependencies of a page, its signature, the record of what it wrote
    pool.py    worker processes (explicit initializer; nothing passed through module state)
    inputs.py  scanning inputs, with the stat table the Session keeps
    store.py   the files in .briefing-cache/ (nothing outside it knows their format)
"""
