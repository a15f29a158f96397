"""The text catalogue's loader (upgrade_repro/texts.py): read with libyaml's parser when PyYAML has it."""

import yaml

from upgrade_repro import texts


def test_catalogue_reads_the_same_with_either_yaml_parser(monkeypatch):
    assert texts.YAML_LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    fast = {language: texts.load_messages(texts.CATALOGUE, language) for language in texts.LANGUAGES}
    monkeypatch.setattr(texts, "YAML_LOADER", yaml.SafeLoader)
    assert fast == {language: texts.load_messages(texts.CATALOGUE, language) for language in texts.LANGUAGES}
    assert len(fast["zh"]) > 100
