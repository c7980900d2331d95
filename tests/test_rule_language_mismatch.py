"""language-mismatch and the langdetect wrapper: expected language, candidates, determinism."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mdlint.source.language import available_languages, detect_probabilities, normalize_language
from mdlint.testing import lint_text

RULE = "language-mismatch"
_ENGLISH = (
    "This paragraph was pasted from the original English announcement and never translated "
    "for the readers of this Korean note."
)
_JAPANESE = (
    "この段落は日本語で書かれています。元の記事からそのまま貼り付けられ、韓国語に翻訳されていません。"
    "読者には読みにくいでしょう。もう少し長くして、言語を判定できるようにします。"
)
_MIXED_KOREAN = [
    "Claude 3.5 Sonnet이 LMSYS Chatbot Arena에서 1위를 차지했으며, GPT-4o와 Gemini 1.5 Pro가 그 뒤를 "
    "이었습니다. 오픈 모델 중에서는 Llama 3.1 405B가 가장 높은 점수를 받았습니다.",
    "다양한 OCR 서비스의 성능 및 속도를 비교 분석한 결과, Google Cloud Vision, Azure Document "
    "Intelligence, Upstage, Naver Clova 순으로 우수한 속도를 보임",
    "Continue.dev, VS Code, JetBrains 플러그인 및 Google Cloud, Azure AI Foundry, Amazon Bedrock 등 "
    "다양한 IDE 및 플랫폼에서 사용 가능",
    "최대 128K의 컨텍스트 윈도우 지원, DeepSeek 공식 웹사이트(chat.deepseek.com)와 API 플랫폼"
    "(platform.deepseek.com)을 통해 채팅 및 API 접근 가능",
]


def _korean(body: str) -> str:
    return f"---\nlang: ko\n---\n# 제목\n\n{body}\n"


def test_without_an_expected_language_the_rule_does_nothing() -> None:
    assert lint_text(f"{_ENGLISH}\n\n{_JAPANESE}\n", RULE) == []


def test_front_matter_language_and_message() -> None:
    [finding] = lint_text(_korean(_ENGLISH), RULE)
    assert (finding.line, finding.column) == (6, 1)
    assert finding.message == "paragraph reads as English (1.00), not Korean as front matter `lang: ko` says"
    assert finding.extra["language"] == "en" and finding.extra["expected"] == "ko"


@pytest.mark.parametrize("key", ["lang", "language"])
@pytest.mark.parametrize("value", ["ko", "ko-KR", "KO"])
def test_front_matter_keys_and_tags(key: str, value: str) -> None:
    text = f"---\n{key}: {value}\n---\n\n- {_JAPANESE}\n"
    [finding] = lint_text(text, RULE)
    assert finding.message.startswith("list item reads as Japanese")


def test_toml_front_matter() -> None:
    assert len(lint_text(f'+++\nlang = "ko"\n+++\n\n{_ENGLISH}\n', RULE)) == 1


def test_config_language_and_front_matter_wins() -> None:
    options = {RULE: {"language": "en"}}
    assert len(lint_text(f"{_JAPANESE}\n", RULE, options=options)) == 1
    assert lint_text(f"---\nlang: ja\n---\n\n{_JAPANESE}\n", RULE, options=options) == []


@pytest.mark.parametrize("paragraph", _MIXED_KOREAN)
def test_korean_with_english_terms_stays_clean(paragraph: str) -> None:
    assert lint_text(_korean(paragraph), RULE) == []


def test_link_text_code_and_urls_are_not_prose() -> None:
    entry = (
        "- 📜 [NVIDIA, HuggingFace] [Smarter, Better, Faster, Longer: A Modern Bidirectional Encoder "
        "for Fast, Memory Efficient, and Long Context Finetuning and Inference](https://arxiv.org/abs/2412.13663)"
    )
    code = "`This inline code is English and long enough to be detected as English by langdetect for sure.`"
    assert lint_text(_korean(f"{entry}\n\n{code}"), RULE) == []


def test_candidate_languages_option() -> None:
    # Without Japanese among the candidates the paragraph cannot be called Japanese.
    options = {RULE: {"languages": ["ko", "en"]}}
    assert [f.extra["language"] for f in lint_text(_korean(_JAPANESE), RULE)] == ["ja"]
    assert all(f.extra["language"] != "ja" for f in lint_text(_korean(_JAPANESE), RULE, options=options))


def test_min_letters_and_min_probability_options() -> None:
    assert lint_text(_korean(_ENGLISH), RULE, options={RULE: {"min-letters": 500}}) == []
    assert len(lint_text(_korean(_ENGLISH), RULE, options={RULE: {"min-probability": 0.5}})) == 1


def test_unknown_expected_language_is_ignored() -> None:
    assert lint_text(f"---\nlang: klingon\n---\n\n{_ENGLISH}\n", RULE) == []


def test_normalize_language() -> None:
    assert {"ko", "en", "ja", "zh-cn", "zh-tw"} <= available_languages()
    assert normalize_language("ko-KR") == "ko"
    assert normalize_language("zh") == "zh-cn"
    assert normalize_language("zh-Hant-TW") == "zh-tw"
    assert normalize_language("en_US") == "en"
    assert normalize_language("tlh") is None


def test_detection_is_restricted_and_deterministic() -> None:
    candidates = ("en", "ko")
    first = detect_probabilities("Bonjour tout le monde, comment allez-vous aujourd'hui?", candidates)
    assert set(first) <= set(candidates)
    assert all(
        detect_probabilities(_MIXED_KOREAN[0], candidates) == detect_probabilities(_MIXED_KOREAN[0], candidates)
        for _ in range(3)
    )
    assert detect_probabilities("12345 !!!", candidates) == {}


def test_langdetect_is_imported_only_when_the_rule_runs() -> None:
    code = (
        "import sys\n"
        "from mdlint.rule_engine.rule import all_rules\n"
        "from mdlint.testing import lint_text\n"
        "all_rules()\n"
        "lint_text('# x\\n\\nsome text\\n', 'language-mismatch')\n"
        "assert 'langdetect' not in sys.modules, 'imported without an expected language'\n"
        "lint_text('---\\nlang: ko\\n---\\n\\n" + _ENGLISH + "\\n', 'language-mismatch')\n"
        "assert 'langdetect' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=".")
