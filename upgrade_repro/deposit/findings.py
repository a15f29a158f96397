"""A finding of the verification: a path, its status and its detail, kept as phrases (a key of
the catalogue's `verification_report.detail` section and its facts) and rendered in English for
the `detail` column, in the report's language where the report shows it. The modules that find
(manifest, compare, verify) and the one that reports (report.py) all take it from here."""

import functools

import jinja2

# The catalogue's group of the verification report's texts (upgrade_repro/texts.yaml).
TEXTS = "verification_report"


def phrase(key: str, **facts) -> list:
    return [key, facts]


@functools.cache
def messages(language: str) -> dict:
    """The texts of the verification report in `language`: the catalogue's group TEXTS, keyed as
    the templates' m('key') and the phrases' `detail.<key>` name them."""
    from upgrade_repro.texts import check_language, texts

    return texts(check_language(language), TEXTS)


def render_detail(phrases: list, language: str = "en") -> str:
    """The phrases of a detail as text in `language` (joined by '; '); a fact named `inner` is itself
    a list of phrases, rendered in place. Facts are values: never read as templates."""
    texts = messages(language)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False)
    env.globals["st"] = lambda status: texts[f"status.{status}"]
    env.globals["kind"] = lambda name: texts[f"detail.kind.{name}"]

    def one(item) -> str:
        key, facts = item
        facts = {k: render_detail(v, language) if k == "inner" else v for k, v in facts.items()}
        return env.from_string(texts[f"detail.{key}"]).render(facts)

    return ("；" if language == "zh" else "; ").join(one(p) for p in phrases)


def result(path, status, phrases=()) -> dict:
    """{'path', 'status', 'detail' (English), 'facts' (the phrases, to render in another language)}."""
    phrases = [list(p) for p in phrases]
    return {"path": path, "status": status, "detail": render_detail(phrases) if phrases else "", "facts": phrases}
