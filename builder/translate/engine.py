"""The zh→en engine: an installed Argos Translate package, driven directly.

argostranslate 1.12's own `translate()` sends every text through a sentence splitter it
picks in `PackageTranslation.__init__` from `settings.chunk_type`: MiniSBD by default,
which downloads an ONNX model on first use (network!), or Stanza / spaCy. Our segments are
already single sentences (builder/segment.py), so we skip that layer entirely and drive
the package's files ourselves: `<package>/model` (a CTranslate2 model) and
`<package>/sentencepiece.model`, with ONE `ctranslate2.Translator` per run and
`translate_batch` over all missing segments. Tokenising and detokenising mirror
`argostranslate.tokenizer.SentencePieceTokenizer` and `apply_packaged_translation`, and the
decoding options are the same (replace_unknowns, length_penalty 0.2, beam size from the
config), so the output equals what `argostranslate.translate.translate()` gives for the same
sentence — bench/translate_throughput.py checks that.

Where packages live: where argostranslate looks (ARGOS_PACKAGES_DIR, else
$XDG_DATA_HOME/argos-translate/packages, else ~/.local/share/argos-translate/packages),
read from the environment at call time. No network is used here.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from builder.config import Config

UNK = "<unk>"  # ctranslate2's Vocabulary::unk_token
LENGTH_PENALTY = 0.2  # as argostranslate.translate.apply_packaged_translation
# ctranslate2's default, which argostranslate leaves as it is; an output this long was cut
# (quality flag `cut`)
MAX_DECODING_LENGTH = 256


def packages_dir() -> Path:
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env)
    home = Path(os.environ.get("HOME") or Path.home())
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return data / "argos-translate" / "packages"


def argos_settings():
    """argostranslate.settings, its paths re-read from the environment now.

    The module computes them once at import; tests (and `-C` runs in one process) change
    ARGOS_PACKAGES_DIR / XDG_* later, so the paths we rely on are set again here."""
    from argostranslate import settings

    logging.getLogger("argostranslate.utils").addHandler(logging.NullHandler())
    logging.getLogger("argostranslate.utils").propagate = False
    pkg_dir = packages_dir()
    pkg_dir.mkdir(parents=True, exist_ok=True)
    settings.package_data_dir = pkg_dir
    settings.package_dirs = [pkg_dir]
    home = Path(os.environ.get("HOME") or Path.home())
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "argos-translate"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or home / ".local" / "cache") / "argos-translate"
    settings.data_dir = data
    settings.local_package_index = data / "index.json"
    settings.downloads_dir = cache / "downloads"
    return settings


@dataclass(frozen=True)
class ModelInfo:
    path: Path  # the installed package folder
    code: str  # e.g. translate-zh_en
    version: str
    from_code: str
    to_code: str
    target_prefix: str = ""

    @property
    def label(self) -> str:
        return f"argos {self.code} {self.version}".strip()


def installed_models() -> list[ModelInfo]:
    """Every installed Argos package (reads metadata.json; imports nothing)."""
    folder = packages_dir()
    models: list[ModelInfo] = []
    if not folder.is_dir():
        return models
    for pkg in sorted(p for p in folder.iterdir() if p.is_dir()):
        try:
            meta = json.loads((pkg / "metadata.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if meta.get("type", "translate") != "translate":
            continue
        from_code, to_code = meta.get("from_code", ""), meta.get("to_code", "")
        models.append(ModelInfo(
            path=pkg, code=meta.get("code") or f"translate-{from_code}_{to_code}",
            version=str(meta.get("package_version", "")), from_code=from_code, to_code=to_code,
            target_prefix=meta.get("target_prefix", "") or "",
        ))
    return models


def find_model(from_code: str = "zh", to_code: str = "en") -> ModelInfo | None:
    usable = [m for m in installed_models()
              if m.from_code == from_code and m.to_code == to_code
              and (m.path / "model" / "model.bin").exists() and (m.path / "sentencepiece.model").exists()]
    if not usable:
        return None
    return max(usable, key=lambda m: (_version_key(m.version), str(m.path)))


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.\-]", version))


@dataclass(frozen=True)
class Output:
    text: str
    score: float  # ctranslate2's score (log-probability normalised by length ** LENGTH_PENALTY)
    tokens: int

    @property
    def mean_logprob(self) -> float | None:
        """Mean log-probability per output piece: the value quality.LOW_SCORE is compared with."""
        if not self.tokens:
            return None
        return self.score * (self.tokens ** LENGTH_PENALTY) / self.tokens


class Translator(Protocol):
    """What translate_site needs of an engine: the Argos `Engine` below, or a stand-in
    (tests/translate/engines.py) plugged in through `translate_site(..., engine=...)`."""

    @property
    def label(self) -> str: ...

    def translate_in_batches(self, sources: list[str]) -> Iterator[tuple[list[int], list[Output]]]: ...


class Engine:
    """One loaded model for a whole run."""

    max_decoding_length = MAX_DECODING_LENGTH  # an output this long was cut (quality flag `cut`)

    def __init__(self, model: ModelInfo, config: Config):
        import ctranslate2
        import sentencepiece

        self.model = model
        self.config = config
        device = config.translate_device
        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        self.translator = ctranslate2.Translator(
            str(model.path / "model"), device=device,
            inter_threads=config.translate_inter_threads, intra_threads=config.translate_intra_threads,
        )
        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "sentencepiece.model"))

    @property
    def label(self) -> str:
        return self.model.label

    def encode(self, text: str) -> list[str]:
        return self.sp.encode(text, out_type=str)

    def decode(self, pieces: list[str]) -> str:
        # as argostranslate.tokenizer.SentencePieceTokenizer.decode + apply_packaged_translation
        value = self.sp.decode_pieces(pieces).replace("▁", " ").replace("_", " ")
        prefix = self.model.target_prefix
        if prefix and value.startswith(prefix):
            value = value[len(prefix):]
        if value.startswith(" "):
            value = value[1:]
        return value

    @property
    def workers(self) -> int:
        """Batches ctranslate2 decodes at the same time (one per inter thread)."""
        return max(1, self.translator.num_translators)

    def translate(self, sources: list[str]) -> list[Output]:
        return self._translate_tokens([self.encode(s) for s in sources])

    def translate_in_batches(self, sources: list[str]) -> Iterator[tuple[list[int], list[Output]]]:
        """Translate `sources` shortest first, one chunk at a time: yields (indices into
        `sources`, their outputs) per chunk, so a caller can save its work between chunks.

        Sorting by length keeps padding (wasted decoding of short sentences next to long
        ones) small. A chunk holds translate_batch_size sentences per worker, and
        _translate_tokens splits it into one batch per worker, so every inter thread has a
        batch to decode."""
        tokenized = [self.encode(s) for s in sources]
        order = sorted(range(len(sources)), key=lambda i: (len(tokenized[i]), sources[i]))
        step = max(1, self.config.translate_batch_size) * self.workers
        for offset in range(0, len(order), step):
            chunk = order[offset:offset + step]
            yield chunk, self._translate_tokens([tokenized[i] for i in chunk])

    def _translate_tokens(self, tokenized: list[list[str]]) -> list[Output]:
        if not tokenized:
            return []
        # replace_unknowns makes ctranslate2 keep the attention of every beam at every
        # decoding step, only to look up the source token behind each <unk> afterwards
        # (SequenceToSequenceModel::sample); it does not change the search. That
        # bookkeeping grows with batch × beam × steps × source length and cost more than
        # the decoding itself at batch 32 (bench/README.md). So decode without it, and
        # decode again with it only the sentences whose output has an <unk>: the same
        # English as argostranslate's replace_unknowns=True, at the price of a rare
        # second pass.
        results = self._decode(tokenized, replace_unknowns=False)
        redo = [i for i, result in enumerate(results) if UNK in result.hypotheses[0]]
        if redo:
            again = self._decode([tokenized[i] for i in redo], replace_unknowns=True)
            for i, result in zip(redo, again):
                results[i] = result
        out = []
        for result in results:
            pieces = result.hypotheses[0]
            out.append(Output(self.decode(pieces), float(result.scores[0]), len(pieces)))
        return out

    def _decode(self, tokenized: list[list[str]], replace_unknowns: bool) -> list:
        prefix = [[self.model.target_prefix]] * len(tokenized) if self.model.target_prefix else None
        # one batch per worker, at most translate_batch_size sentences each
        per_worker = -(-len(tokenized) // self.workers)
        size = max(1, min(self.config.translate_batch_size, per_worker))
        return self.translator.translate_batch(
            tokenized, target_prefix=prefix, replace_unknowns=replace_unknowns,
            max_batch_size=size, batch_type="examples",
            beam_size=max(1, self.config.translate_beam_size), num_hypotheses=1,
            length_penalty=LENGTH_PENALTY, return_scores=True, max_decoding_length=MAX_DECODING_LENGTH,
        )
