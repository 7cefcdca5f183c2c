"""What a template offers to resolve intrinsics: its parameters (as the variables of its parameter
space), mappings, conditions (compiled into guards over those variables) and resource names.

Parameters. A parameter's values are its ``AllowedValues``; without them, its ``Default`` and, when a
condition compares it with values of its own (``!Equals [!Ref Env, prod]``), those values and
"another value" too, since a deployer may pass anything. A parameter no condition compares and that
has a ``Default`` keeps that one value, as DESIGN section 2 says. ``AWS::SSM::Parameter::Value<...>``
parameters are resolved from the parameter store at deploy time (their ``Default`` names the SSM
parameter, not its value): their value is unknown, and says so.

Conditions. A condition is never chosen on its own: its definition (``Fn::Equals``, ``Fn::And``,
``Fn::Or``, ``Fn::Not``, ``Condition``) is evaluated on every assignment of the parameters it reads,
and compiled into the guards under which it is true and false. Where the definition reads what only
deploy time knows (``AWS::Region``), the condition itself becomes a two-valued variable for those
assignments. Compilation is bounded (``MAX_CONDITION_POINTS``); past it the condition is a variable.
"""

from __future__ import annotations

import itertools

from lakelint.core.branches import OTHER, TRUE, Guard, Space, Variable
from lakelint.core.values import MISSING, Unresolved, truth
from lakelint.sources.cloudformation.intrinsics import Expander, branches_of, unresolved

MAX_CONDITION_POINTS = 4096  # assignments evaluated to compile one condition
MAX_TEMPLATE_WORK = 2_000_000  # outcomes built for one template in all, however many properties it has
_SSM_TYPE = "AWS::SSM::Parameter::Value<"
_LIST_TYPES = ("List<", "CommaDelimitedList")


class Scope:
    """``deployed`` pins parameters to the values a stack was deployed with ({name: value}; a value
    CloudFormation hides, NoEcho's ``****``, stays unknown), and ``pseudo`` gives pseudo parameters their
    deployed values (``AWS::Region``, ``AWS::AccountId``, ...): the template is then judged exactly as it
    was deployed (``--live --compare``)."""

    def __init__(self, parameters=None, mappings=None, conditions=None, resources=frozenset(), deployed=None,
                 pseudo=None):
        self.parameters = parameters if isinstance(parameters, dict) else {}
        self.mappings = mappings if isinstance(mappings, dict) else {}
        self.conditions = conditions if isinstance(conditions, dict) else {}
        self.resources = frozenset(resources)
        self.pseudo = dict(pseudo or {})
        self.space = Space()
        self.work_left = MAX_TEMPLATE_WORK
        self._compiled = {}
        self._compiling = set()
        compared = _compared_literals(self.conditions)
        for name, param in self.parameters.items():
            variable = parameter_variable(str(name), param, compared.get(name, ()))
            if deployed is not None and str(name) in deployed:
                variable = deployed_variable(variable, deployed[str(name)])
            self.space.add(variable)

    # -- the budget of the whole template --------------------------------------------------------

    def spend(self, amount: int) -> bool:
        self.work_left -= amount
        return self.work_left >= 0

    def normalise(self, guard: Guard) -> Guard:
        """``guard`` without the variables it lets take every value."""
        if not any(values == self.space.domain(key) for key, values in guard.items()):
            return guard
        return Guard({k: v for k, v in guard.items() if v != self.space.domain(k)})

    # -- expansion -------------------------------------------------------------------------------

    def expand(self, props, path=(), keep_parameters: bool = False, exists=(TRUE,)) -> list:
        """The branches of ``props`` at ``path`` within the guards where the resource exists; with
        ``keep_parameters``, a ``Ref`` to a parameter stays an Unresolved value naming it."""
        expander = Expander(self, keep_parameters)
        outcomes = []
        for guard in exists:
            outcomes.extend(expander.property(props, path, guard))
        if len(exists) > 1:
            outcomes = expander._cap(expander._merge(outcomes))
        return branches_of(expander, outcomes, self.space)

    def parameter_outcomes(self, name: str, guard: Guard) -> list:
        """[(value, guard)] for each value parameter ``name`` may take within ``guard``."""
        variable = self.space.variables[("parameter", name)]
        param = self.parameters.get(name)
        allowed = guard.get(variable.key)
        values = variable.values if allowed is None else [v for v in variable.values if v in allowed]
        if len(variable.values) == 1:
            return [(self.parameter_value(name, param, variable, variable.values[0]), guard)]
        return [(self.parameter_value(name, param, variable, value), guard.restrict(variable.key, {value}))
                for value in values]

    @staticmethod
    def parameter_value(name, param, variable, value):
        param = param if isinstance(param, dict) else {}
        kind = str(param.get("Type", "String"))
        if value is OTHER:
            return _unknown_parameter(name, param, kind, variable)
        if kind.startswith(_LIST_TYPES):
            return [part.strip() for part in value.split(",")]
        return value

    # -- conditions ------------------------------------------------------------------------------

    def condition_guards(self, name: str) -> tuple:
        """([guards where condition ``name`` is true], [guards where it is false])."""
        if name not in self._compiled:
            if name in self._compiling:  # a condition that refers to itself: CloudFormation rejects it
                return self._opaque(name)
            self._compiling.add(name)
            try:
                self._compiled[name] = self._compile(name)
            finally:
                self._compiling.discard(name)
            self.space.conditions[name] = self._compiled[name]
        return self._compiled[name]

    def _opaque(self, name: str) -> tuple:
        key = ("condition", name)
        if key not in self.space.variables:
            self.space.add(Variable(key, ("true", "false")))
        return [Guard({key: frozenset({"true"})})], [Guard({key: frozenset({"false"})})]

    def _compile(self, name: str) -> tuple:
        definition = self.conditions.get(name, MISSING)
        if definition is MISSING:
            return self._opaque(name)
        keys = sorted(self._parameters_read(definition, set()))
        domains = [self.space.variables[("parameter", k)].values for k in keys]
        size = 1
        for domain in domains:
            size *= len(domain)
        if size > MAX_CONDITION_POINTS:
            return self._opaque(name)
        true_points, false_points, open_points = [], [], []
        for combo in itertools.product(*domains):
            point = TRUE
            for key, value in zip(keys, combo):
                if len(self.space.variables[("parameter", key)].values) > 1:
                    point = point.restrict(("parameter", key), {value})
            outcome = self._evaluate(definition, point)
            (true_points if outcome is True else false_points if outcome is False else open_points).append(point)
        when_true, when_false = _join(true_points, self), _join(false_points, self)
        if open_points:  # what deploy time decides becomes a variable of its own, for those assignments
            opaque_true, opaque_false = self._opaque(name)
            for point in _join(open_points, self):
                when_true.append(point & opaque_true[0])
                when_false.append(point & opaque_false[0])
        return when_true, when_false

    def _parameters_read(self, definition, seen: set) -> set:
        """Names of the parameters a condition's definition reads, through other conditions too."""
        found = set()
        stack = [definition]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if len(node) == 1 and "Ref" in node and node["Ref"] in self.parameters:
                    found.add(node["Ref"])
                elif len(node) == 1 and "Condition" in node and isinstance(node["Condition"], str):
                    other = node["Condition"]
                    if other not in seen and other in self.conditions:
                        seen.add(other)
                        stack.append(self.conditions[other])
                elif len(node) == 1 and "Fn::Sub" in node:
                    text = node["Fn::Sub"][0] if isinstance(node["Fn::Sub"], list) else node["Fn::Sub"]
                    if isinstance(text, str):
                        found |= {p for p in self.parameters if "${" + str(p) + "}" in text}
                    stack.extend(node.values())
                else:
                    stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        return {str(name) for name in found}

    def _evaluate(self, node, point: Guard):
        """True, False or None (deploy time decides) for a condition expression at ``point``."""
        if isinstance(node, dict) and len(node) == 1:
            (key, arg), = node.items()
            if key == "Condition" and isinstance(arg, str):
                when_true, when_false = self.condition_guards(arg)
                if any((point & g) == point for g in when_true):
                    return True
                if any((point & g) == point for g in when_false):
                    return False
                return None
            if key == "Fn::Not" and isinstance(arg, list) and len(arg) == 1:
                inner = self._evaluate(arg[0], point)
                return None if inner is None else not inner
            if key in ("Fn::And", "Fn::Or") and isinstance(arg, list) and arg:
                results = [self._evaluate(item, point) for item in arg]
                decisive = key == "Fn::Or"  # Or is decided by a true, And by a false
                if decisive in results:
                    return decisive
                return None if None in results else not decisive
            if key == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
                return self._equals(arg[0], arg[1], point)
        return None

    def _equals(self, left, right, point: Guard):
        sides = []
        for side in (left, right):
            outcomes = Expander(self).value(side, point, None)
            if len(outcomes) != 1:
                return None
            sides.append(outcomes[0][0])
        a, b = sides
        if isinstance(a, Unresolved) or isinstance(b, Unresolved):
            return _other_differs(a, b)
        return _text(a) == _text(b)


def parameter_variable(name: str, param, compared=()) -> Variable:
    """The variable a parameter is: its values (see the module's docstring), default and NoEcho."""
    param = param if isinstance(param, dict) else {}
    kind = str(param.get("Type", "String"))
    secret = truth(param.get("NoEcho", False)) is True
    if kind.startswith(_SSM_TYPE):
        return Variable(("parameter", name), (OTHER,), None, secret)
    default = param.get("Default", MISSING)
    default = None if default is MISSING or default is None else _text(default)
    allowed = param.get("AllowedValues")
    if isinstance(allowed, list) and allowed:
        values = tuple(dict.fromkeys(_text(v) for v in allowed))
        return Variable(("parameter", name), values, default, secret)
    values = [default] if default is not None else []
    values += [v for v in sorted(set(compared)) if v not in values]
    if compared or default is None:
        values.append(OTHER)
    return Variable(("parameter", name), tuple(values), default, secret)


HIDDEN = "****"  # what DescribeStacks answers for a NoEcho parameter's value


def deployed_variable(variable: Variable, value) -> Variable:
    """The parameter as a stack deployed it: one value, or unknown when CloudFormation hides it."""
    if value is None or str(value) == HIDDEN:
        return Variable(variable.key, (OTHER,), None, variable.secret)
    return Variable(variable.key, (_text(value),), _text(value), variable.secret)


def _unknown_parameter(name, param, kind, variable) -> Unresolved:
    if kind.startswith(_SSM_TYPE):
        reason = (f"comes from parameter {name}, of type {kind}: its value is read from the SSM parameter "
                  f"store at deploy time")
    elif len(variable.values) == 1:
        reason = f"comes from parameter {name}, which has no AllowedValues or Default"
    else:
        reason = f"comes from parameter {name} when it is set to a value the template does not name"
    value = Unresolved(f"${{{name}}}", reason, {name})
    value.constraints = {key: param[key] for key in ("AllowedPattern", "MinLength", "MaxLength", "MinValue",
                                                     "MaxValue") if key in param}
    value.other_than = frozenset(v for v in variable.values if v is not OTHER)
    return value


def _other_differs(a, b):
    """Equals between "another value" of a parameter and one of the values it names is false."""
    for unknown_side, known_side in ((a, b), (b, a)):
        others = getattr(unknown_side, "other_than", None)
        if others is not None and not isinstance(known_side, Unresolved) and _text(known_side) in others:
            return False
    return None


def _compared_literals(conditions: dict) -> dict:
    """{parameter: {values}} that some condition's ``Fn::Equals`` compares the parameter with."""
    found = {}
    stack = list(conditions.values())
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            arg = node.get("Fn::Equals") if len(node) == 1 else None
            if isinstance(arg, list) and len(arg) == 2:
                for side, other in ((arg[0], arg[1]), (arg[1], arg[0])):
                    if (isinstance(side, dict) and len(side) == 1 and isinstance(side.get("Ref"), str)
                            and isinstance(other, (str, int, float, bool))):
                        found.setdefault(side["Ref"], set()).add(_text(other))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _join(points, scope) -> list:
    """Single-assignment guards joined into as few guards as an exact union allows."""
    from lakelint.core.branches import _merge_all

    return [scope.normalise(g) for g in _merge_all(points)]
