"""Throughput: our batched engine path vs argostranslate.translate.translate() per sentence.

Both use the same installed model (the tiny random-weight package from
bench/tinymodel.py, unless --model gives a real .argosmodel) and the same
segments (the seed article split by builder.segment.split_sentences). argostranslate is
stopped from calling MiniSBD (which would download a model): its PackageTranslation gets our
own splitter instead. The outputs must be identical; the script prints segments/s for both
(median over several rounds) and the ratio. Batches, threads and beam come from Config's
defaults (builder/config.py), as in a real `briefing translate`, unless given here; the
batches are made by Engine.translate_in_batches, the very code translate_site uses.
argostranslate keeps its own defaults (ARGOS_INTER_THREADS / ARGOS_INTRA_THREADS in the
environment change them).

    .venv/bin/python bench/translate_throughput.py [--rounds 5] [--model FILE.argosmodel]
        [--batch-size N] [--inter-threads N] [--intra-threads N] [--beam-size N]
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# argostranslate writes under HOME/XDG_* on import: keep it in a throw-away folder
_TMP = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
atexit.register(shutil.rmtree, _TMP, True)
for key, sub in (("HOME", ""), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                 ("XDG_CACHE_HOME", "cache")):
    os.environ[key] = str(_TMP / sub)
os.environ["ARGOS_PACKAGES_DIR"] = str(_TMP / "packages")


def seed_segments() -> list[str]:
    from builder.segment import split_sentences

    text = (ROOT / "seeds" / "000_ba374b0bc59d2438.txt").read_text(encoding="utf-8")
    segments = []
    for paragraph in text.split("\n"):
        segments.extend(s for s in split_sentences(paragraph.strip()) if s)
    return segments


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--model", type=Path, help="a real .argosmodel (default: build the tiny one)")
    from builder.config import Config

    defaults = Config(root=ROOT)  # the real path's settings unless overridden here
    parser.add_argument("--beam-size", type=int, default=defaults.translate_beam_size)
    parser.add_argument("--batch-size", type=int, default=defaults.translate_batch_size)
    parser.add_argument("--inter-threads", type=int, default=defaults.translate_inter_threads)
    parser.add_argument("--intra-threads", type=int, default=defaults.translate_intra_threads)
    args = parser.parse_args()

    from bench.tinymodel import build_argosmodel
    from builder.translate import engine, models

    model_file = args.model or build_argosmodel(
        (ROOT / "seeds" / "000_ba374b0bc59d2438.txt").read_text(encoding="utf-8"),
        _TMP / "translate-zh_en-tiny.argosmodel")
    print(models.install_file(model_file)[0])
    segments = seed_segments()
    config = Config(root=ROOT, translate_beam_size=args.beam_size, translate_batch_size=args.batch_size,
                    translate_intra_threads=args.intra_threads, translate_inter_threads=args.inter_threads)
    print(f"beam {args.beam_size}, batch size {args.batch_size}, inter_threads {args.inter_threads}, "
          f"intra_threads {args.intra_threads}")
    os.environ["ARGOS_BEAM_SIZE"] = str(args.beam_size)  # argostranslate reads it at import

    # --- argostranslate, sentence by sentence, with our splitter instead of MiniSBD
    from argostranslate import sbd, settings
    from argostranslate import translate as argos

    from builder.segment import split_sentences

    settings.beam_size = args.beam_size

    class OurSplitter(sbd.ISentenceBoundaryDetectionModel):
        def __init__(self, pkg):
            self.pkg = pkg

        def split_sentences(self, text):
            return split_sentences(text) or [text]

    argos.MiniSBDSentencizer = OurSplitter  # PackageTranslation picks its splitter by this name
    argos.get_installed_languages.cache_clear()
    translation = argos.get_translation_from_codes("zh", "en")
    translation.underlying.sentencizer = OurSplitter(None)

    def argos_round():
        translation.cache = {}  # CachedTranslation would skip the work in later rounds
        return [argos.translate(s, "zh", "en") for s in segments]

    # --- ours: one Translator, batches exactly as translate_site makes them
    eng = engine.Engine(engine.find_model(), config)

    def our_round():
        texts = [""] * len(segments)
        for indices, outputs in eng.translate_in_batches(segments):
            for i, output in zip(indices, outputs):
                texts[i] = output.text
        return texts

    theirs = argos_round()
    ours = our_round()
    same = sum(a == b for a, b in zip(ours, theirs))
    lengths = sorted(len(eng.encode(t)) for t in ours)
    print(f"{len(segments)} segments; identical outputs: {same}/{len(segments)}; output pieces "
          f"min {lengths[0]}, median {lengths[len(lengths) // 2]}, max {lengths[-1]}")

    def timed(fn):
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    # the same batches with replace_unknowns=True on every sentence, as argostranslate
    # decodes: shows what keeping the attention of every beam at every step costs
    fast_decode = eng._decode

    def always_replace_round():
        eng._decode = lambda tokenized, replace_unknowns: fast_decode(tokenized, True)
        try:
            return our_round()
        finally:
            eng._decode = fast_decode

    assert always_replace_round() == ours
    t_argos = timed(argos_round)
    t_ours = timed(our_round)
    t_always = timed(always_replace_round)
    rate_argos, rate_ours = len(segments) / t_argos, len(segments) / t_ours
    print(f"argostranslate.translate() per sentence: {rate_argos:8.1f} segments/s (median of {args.rounds})")
    print(f"batched, replace_unknowns on every one:  {len(segments) / t_always:8.1f} segments/s")
    print(f"batched engine (builder.translate):      {rate_ours:8.1f} segments/s (median of {args.rounds})")
    print(f"ratio: {rate_ours / rate_argos:.2f}x")
    return 0 if same == len(segments) else 1


if __name__ == "__main__":
    sys.exit(main())
