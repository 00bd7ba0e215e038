"""Which speech-to-text aliases apply where: per source, and per line range within one."""

from __future__ import annotations

from collections.abc import Sequence

from bot.search.glossary import Alias, AliasTagger
from bot.search.highlight import AliasMarks, alias_marks

# A scope is a source id plus the line-scoped aliases that cover a line there: excerpts with
# the same scope share one tagger, and a field text analysed under it can be reused.
Scope = tuple[str, tuple[int, ...]]


class AliasScopes:
    """The alias tagger and highlight marks for each excerpt's source and line."""

    def __init__(self, aliases: Sequence[Alias]) -> None:
        self._aliases = tuple(aliases)
        self._scoped: dict[str, list[int]] = {}  # source id → its line-scoped aliases
        for i, alias in enumerate(self._aliases):
            if alias.lines:
                for source_id in alias.sources:
                    self._scoped.setdefault(source_id, []).append(i)
        self._taggers: dict[Scope, AliasTagger] = {}
        self._marks: dict[Scope, AliasMarks] = {}

    def scope(self, source_id: str, line: int) -> Scope:
        """The scope of an excerpt of that source starting on that line."""
        scoped = self._scoped.get(source_id)
        if not scoped:  # the common case: no per-line aliases in this source
            return source_id, ()
        return source_id, tuple(i for i in scoped if self._aliases[i].covers(source_id, line))

    def tagger(self, scope: Scope) -> AliasTagger:
        """Finds the variants that apply in the scope (and prepares its marks, at build time
        rather than in a user's first query)."""
        found = self._taggers.get(scope)
        if found is None:
            applying = self._applying(scope)
            found = self._taggers[scope] = AliasTagger(applying)
            self._marks[scope] = alias_marks(applying)
        return found

    def marks(self, scope: Scope) -> AliasMarks:
        """Highlight marks of the aliases that apply in the scope."""
        found = self._marks.get(scope)
        if found is None:
            found = self._marks[scope] = alias_marks(self._applying(scope))
        return found

    def _applying(self, scope: Scope) -> list[Alias]:
        source_id, line_scoped = scope
        whole = [
            a for a in self._aliases if not a.lines and (not a.sources or source_id in a.sources)
        ]
        return whole + [self._aliases[i] for i in line_scoped]
