r"""What text a regular expression allows, as a small automaton a check can ask questions of.

A parameter's ``AllowedPattern`` says which values CloudFormation accepts for it (the pattern must
match the whole value). To prove that every such value makes a valid bucket name, LL116 reads the
pattern as a language: it parses the pattern with Python's own regex parser (``re._parser``),
builds a nondeterministic automaton from it, joins the automata of a name's pieces (literal text,
parameters, pseudo parameters) and asks whether the result meets the language of names S3 rejects.

The reading is conservative: it may allow more text than the pattern does (an anchor in the middle
of a pattern is read as matching anywhere, ``.`` as any character), never less, so a proof holds
for every value the pattern really allows. What it cannot read (look-arounds, back-references,
case-insensitive matching, patterns too large to unroll) raises ``Unreadable``: the value is then
unverifiable, never valid. Characters are taken from printable ASCII, plus one symbol standing for
every other character. Classes are read as Java reads them, as CloudFormation does: ``\d`` is
``[0-9]`` and ``\w`` is ``[A-Za-z0-9_]`` (Python's own ``\d`` also matches other scripts' digits).
"""

from __future__ import annotations

import functools
import re
import re._constants as sre
import re._parser as sre_parser

OTHER = "\x00"  # every character outside printable ASCII
ALPHABET = frozenset(chr(c) for c in range(0x20, 0x7F)) | {OTHER}
DIGITS = frozenset("0123456789")
WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
SPACE = frozenset(" ") | {OTHER}  # \t, \n and the like are not printable: they are OTHER
MAX_STATES = 4000  # a pattern (or a name) that unrolls to more states is not analysed
_CATEGORIES = {
    sre.CATEGORY_DIGIT: DIGITS, sre.CATEGORY_NOT_DIGIT: ALPHABET - DIGITS,
    sre.CATEGORY_WORD: WORD, sre.CATEGORY_NOT_WORD: ALPHABET - WORD,
    sre.CATEGORY_SPACE: SPACE, sre.CATEGORY_NOT_SPACE: ALPHABET - frozenset(" "),
}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
_ANCHORS = {sre.AT_BEGINNING, sre.AT_BEGINNING_STRING, sre.AT_END, sre.AT_END_STRING}


_WORDS = {"ASSERT": "a look-around", "ASSERT_NOT": "a look-around", "GROUPREF": "a back-reference",
          "GROUPREF_EXISTS": "a conditional group", "AT": "a word boundary"}


class Unreadable(ValueError):
    """A pattern this module does not read (the value it constrains stays unverifiable)."""


def symbol(char: str) -> str:
    return char if char in ALPHABET else OTHER


class Automaton:
    """A nondeterministic automaton with one start and one accepting state; edges carry a set of
    symbols, or nothing (an empty move). Automata are built once and never changed afterwards."""

    def __init__(self):
        self.edges = []  # state -> [(frozenset of symbols or None, next state)]
        self.start = self._state()
        self.accept = self.start

    def _state(self) -> int:
        if len(self.edges) >= MAX_STATES:
            raise Unreadable("too large to analyse")
        self.edges.append([])
        return len(self.edges) - 1

    # -- building ------------------------------------------------------------------------------

    def step(self, symbols) -> None:
        """Append one character from ``symbols``."""
        state = self._state()
        self.edges[self.accept].append((frozenset(symbols), state))
        self.accept = state

    def append(self, other: "Automaton") -> None:
        """Append a copy of ``other``: the text it allows follows the text this one allows."""
        offset = len(self.edges)
        if offset + len(other.edges) > MAX_STATES:
            raise Unreadable("too large to analyse")
        self.edges += [[(symbols, target + offset) for symbols, target in edges] for edges in other.edges]
        self.edges[self.accept].append((None, other.start + offset))
        self.accept = other.accept + offset

    # -- asking --------------------------------------------------------------------------------

    def closure(self, states) -> frozenset:
        seen, todo = set(states), list(states)
        while todo:
            for symbols, target in self.edges[todo.pop()]:
                if symbols is None and target not in seen:
                    seen.add(target)
                    todo.append(target)
        return frozenset(seen)

    def accepts(self, text: str) -> bool:
        """Whether ``text`` is allowed."""
        states = self.closure([self.start])
        for char in text:
            char = symbol(char)
            states = self.closure([target for state in states for symbols, target in self.edges[state]
                                   if symbols is not None and char in symbols])
        return self.accept in states

    def meets(self, other: "Automaton") -> bool:
        """Whether some text is allowed by both automata."""
        start = [(a, b) for a in self.closure([self.start]) for b in other.closure([other.start])]
        seen, todo = set(start), list(start)
        while todo:
            a, b = todo.pop()
            if a == self.accept and b == other.accept:
                return True
            moves = []
            for symbols, target in self.edges[a]:
                if symbols is None:
                    moves.append((target, b))
            for symbols, target in other.edges[b]:
                if symbols is None:
                    moves.append((a, target))
            for symbols_a, target_a in self.edges[a]:
                if symbols_a is None:
                    continue
                for symbols_b, target_b in other.edges[b]:
                    if symbols_b is not None and symbols_a & symbols_b:
                        moves.append((target_a, target_b))
            for pair in moves:
                if pair not in seen:
                    seen.add(pair)
                    todo.append(pair)
        return False

    def lengths(self) -> tuple:
        """(shortest, longest) text allowed; longest is None when there is no bound. Only states
        that lead to the accepting state count."""
        useful = self._useful()
        if self.start not in useful:
            return None, None
        shortest = self._shortest(useful)
        return shortest, self._longest(useful)

    def _useful(self) -> set:
        back = {}
        for state, edges in enumerate(self.edges):
            for _, target in edges:
                back.setdefault(target, []).append(state)
        seen, todo = {self.accept}, [self.accept]
        while todo:
            for source in back.get(todo.pop(), ()):
                if source not in seen:
                    seen.add(source)
                    todo.append(source)
        return seen

    def _shortest(self, useful) -> int:
        import heapq

        best, heap = {self.start: 0}, [(0, self.start)]
        while heap:
            cost, state = heapq.heappop(heap)
            if state == self.accept:
                return cost
            if cost > best.get(state, cost):
                continue
            for symbols, target in self.edges[state]:
                if target not in useful:
                    continue
                step = cost + (0 if symbols is None else 1)
                if step < best.get(target, step + 1):
                    best[target] = step
                    heapq.heappush(heap, (step, target))
        return 0

    def _longest(self, useful):
        """The longest path to the accepting state, None when the states that lead there hold a loop
        (then text may be as long as one likes; an empty loop is counted as one too)."""
        reachable = self.closure_all(useful)
        incoming = {state: 0 for state in reachable}
        for state in reachable:
            for _, target in self.edges[state]:
                if target in reachable:
                    incoming[target] += 1
        order, todo = [], [state for state, count in incoming.items() if count == 0]
        while todo:
            state = todo.pop()
            order.append(state)
            for _, target in self.edges[state]:
                if target in reachable:
                    incoming[target] -= 1
                    if incoming[target] == 0:
                        todo.append(target)
        if len(order) < len(reachable):
            return None
        best = {self.start: 0}
        for state in order:
            if state not in best:
                continue
            for symbols, target in self.edges[state]:
                if target in reachable:
                    best[target] = max(best.get(target, 0), best[state] + (0 if symbols is None else 1))
        return best.get(self.accept, 0)

    def closure_all(self, useful) -> set:
        """The states reachable from the start that lead to the accepting state."""
        seen, todo = {self.start}, [self.start]
        while todo:
            for _, target in self.edges[todo.pop()]:
                if target in useful and target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen


def literal(text: str) -> Automaton:
    automaton = Automaton()
    for char in text:
        automaton.step({symbol(char)})
    return automaton


def concatenation(parts) -> Automaton:
    automaton = Automaton()
    for part in parts:
        automaton.append(part)
    return automaton


@functools.lru_cache(maxsize=256)
def language(pattern: str) -> Automaton:
    """The text ``pattern`` matches in full (as CloudFormation matches ``AllowedPattern``). Raises
    ``Unreadable`` for what this module does not read, or a pattern Python cannot parse."""
    try:
        parsed = sre_parser.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise Unreadable(f"it cannot be parsed ({exc})") from None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        raise Unreadable("it matches case-insensitively or verbosely")
    automaton = Automaton()
    _sequence(automaton, parsed)
    return automaton


def _sequence(automaton: Automaton, items) -> None:
    for op, av in items:
        _item(automaton, op, av)


def _item(automaton: Automaton, op, av) -> None:
    if op is sre.LITERAL:
        automaton.step({symbol(chr(av))})
    elif op is sre.NOT_LITERAL:
        automaton.step(ALPHABET - {symbol(chr(av))} | {OTHER})
    elif op is sre.ANY:
        automaton.step(ALPHABET)
    elif op is sre.IN:
        automaton.step(_class(av))
    elif op is sre.AT and av in _ANCHORS:
        return  # the whole value is matched: an anchor adds nothing (read as matching anywhere)
    elif op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, items = av
        if add_flags & (re.IGNORECASE | re.VERBOSE):
            raise Unreadable("it matches case-insensitively")
        _sequence(automaton, items)
    elif getattr(sre, "ATOMIC_GROUP", None) is op:
        _sequence(automaton, av)
    elif op is sre.BRANCH:
        _branch(automaton, av[1])
    elif op in _REPEATS:
        _repeat(automaton, *av)
    else:
        raise Unreadable(f"it uses {_WORDS.get(str(op), str(op).lower().replace('_', ' '))}")


def _class(items) -> frozenset:
    chars, negate = set(), False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            chars.add(symbol(chr(av)))
        elif op is sre.RANGE:
            low, high = av
            chars |= {symbol(chr(c)) for c in range(low, min(high, 0x7F) + 1)}
            if high >= 0x7F:
                chars.add(OTHER)
        elif op is sre.CATEGORY and av in _CATEGORIES:
            chars |= _CATEGORIES[av]
        else:
            raise Unreadable(f"it uses the class item {op}")
    if negate:  # OTHER stands for many characters: the class may or may not hold some of them
        return frozenset(ALPHABET - chars) | {OTHER}
    return frozenset(chars)


def _branch(automaton: Automaton, alternatives) -> None:
    start = automaton.accept
    end = automaton._state()
    for alternative in alternatives:
        automaton.accept = start
        inner = Automaton()
        _sequence(inner, alternative)
        automaton.append(inner)
        automaton.edges[automaton.accept].append((None, end))
    automaton.accept = end


def _repeat(automaton: Automaton, low: int, high, items) -> None:
    body = Automaton()
    _sequence(body, items)
    for _ in range(low):
        automaton.append(body)
    if high is sre.MAXREPEAT:
        loop_start = automaton.accept
        automaton.append(body)
        automaton.edges[automaton.accept].append((None, loop_start))
        automaton.accept = loop_start
        return
    if high - low > MAX_STATES:
        raise Unreadable("too large to analyse")
    ends = []
    for _ in range(high - low):
        ends.append(automaton.accept)
        automaton.append(body)
    for state in ends:
        automaton.edges[state].append((None, automaton.accept))
