package tally.rules.template;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tally.rules.template.GoType.Kind;
import tally.rules.template.GoValues.GoComplex;
import tally.rules.template.GoValues.GoInt;
import tally.rules.template.GoValues.GoMap;
import tally.rules.template.GoValues.GoNamedString;
import tally.rules.template.GoValues.GoPtr;
import tally.rules.template.GoValues.GoSlice;
import tally.rules.template.GoValues.GoStruct;
import tally.rules.template.Nodes.ActionNode;
import tally.rules.template.Nodes.BoolNode;
import tally.rules.template.Nodes.BranchKind;
import tally.rules.template.Nodes.BranchNode;
import tally.rules.template.Nodes.BreakNode;
import tally.rules.template.Nodes.ChainNode;
import tally.rules.template.Nodes.CommandNode;
import tally.rules.template.Nodes.ContinueNode;
import tally.rules.template.Nodes.DotNode;
import tally.rules.template.Nodes.FieldNode;
import tally.rules.template.Nodes.IdentifierNode;
import tally.rules.template.Nodes.ListNode;
import tally.rules.template.Nodes.NilNode;
import tally.rules.template.Nodes.Node;
import tally.rules.template.Nodes.NumberNode;
import tally.rules.template.Nodes.PipeNode;
import tally.rules.template.Nodes.StringNode;
import tally.rules.template.Nodes.TemplateNode;
import tally.rules.template.Nodes.TextNode;
import tally.rules.template.Nodes.VariableNode;

/**
 * Executes parsed templates the way Go's text/template does: the same evaluation order, the same typing
 * of arguments against function signatures, and the same notion of "current node" for error messages
 * ({@code template: NAME:LINE:COL: executing "NAME" at <node>: ...}).
 */
final class Exec {
    /** Go's missingkey option: what a missing map key gives. */
    enum MissingKey { INVALID, ZERO, ERROR }

    /** An execution error carrying Go's full text. */
    static final class ExecError extends RuntimeException {
        ExecError(String message) {
            super(message, null, false, false);
        }
    }

    /** Stands for "no value piped in" (Go's missingVal), distinct from the invalid value (null). */
    private static final Object MISSING = new Object();
    private static final int MAX_EXEC_DEPTH = 100000;
    /**
     * Tally's limits, which Go does not have: a template can loop for very long ({@code range} over a
     * large integer or duration) or double a string in a loop. Prometheus would hang or run out of memory;
     * here the expansion fails instead, so one rule cannot stall its group.
     */
    static final long MAX_STEPS = 10_000_000;
    static final int MAX_TEXT = 16 << 20;

    private static final class Signal extends RuntimeException {
        Signal() {
            super(null, null, false, false);
        }
    }

    private static final Signal BREAK = new Signal(), CONTINUE = new Signal();

    private record Variable(String name, Object[] value) {}

    private final Map<String, Parser.Tree> templates;
    private final String source;
    private final String parseName;
    private final Map<String, Func> funcs;
    private final MissingKey missingKey;
    private final StringBuilder out = new StringBuilder();

    private String tmplName;
    private Node node;
    private long steps;
    private long maxSteps = MAX_STEPS;
    private List<Variable> vars = new ArrayList<>();
    private int depth;

    Exec(Map<String, Parser.Tree> templates, String source, String parseName, Map<String, Func> funcs, MissingKey missingKey) {
        this.templates = templates;
        this.source = source;
        this.parseName = parseName;
        this.funcs = funcs;
        this.missingKey = missingKey;
    }

    /** A smaller step budget, for tests of the limit. */
    Exec withMaxSteps(long max) {
        maxSteps = max;
        return this;
    }

    /** Runs the named template on data; returns the output or throws ExecError. */
    String execute(String name, Object data) {
        tmplName = name;
        vars.add(new Variable("$", new Object[] {data}));
        Parser.Tree t = templates.get(name);
        if (t == null || t.root() == null) throw errorf("%q is an incomplete or empty template", name);
        walk(data, t.root());
        return out.toString();
    }

    // ---- errors ----

    /** Go's ErrorContext: "NAME:LINE:COL" with COL the byte offset within the line. */
    private String location(Node n) {
        int pos = Math.min(n.pos(), source.length());
        int nl = source.lastIndexOf('\n', pos - 1);
        int line = 1;
        for (int i = 0; i < pos; i++) if (source.charAt(i) == '\n') line++;
        int col = utf8Len(source, nl < 0 ? 0 : nl + 1, pos);
        return parseName + ":" + line + ":" + col;
    }

    private static int utf8Len(String s, int from, int to) {
        return s.substring(from, to).getBytes(StandardCharsets.UTF_8).length;
    }

    /** Formats like Go: the location is spliced into the format unescaped, as Go does. */
    private ExecError errorf(String format, Object... args) {
        String name = GoStrconv.quote(tmplName.replace("%", "%%"));
        String full;
        if (node == null) {
            full = "template: " + tmplName.replace("%", "%%") + ": " + format;
        } else {
            String context = node.string().replace("%", "%%");
            full = "template: " + location(node) + ": executing " + name + " at <" + context + ">: " + format;
        }
        return new ExecError(GoFmt.sprintf(full, List.of(args)));
    }

    private void at(Node n) {
        node = n;
    }

    // ---- variables ----

    private int mark() {
        return vars.size();
    }

    private void pop(int mark) {
        while (vars.size() > mark) vars.remove(vars.size() - 1);
    }

    private void push(String name, Object value) {
        vars.add(new Variable(name, new Object[] {value}));
    }

    private void setVar(String name, Object value) {
        for (int i = vars.size() - 1; i >= 0; i--) {
            if (vars.get(i).name().equals(name)) {
                vars.get(i).value()[0] = value;
                return;
            }
        }
        throw errorf("undefined variable: %s", name);
    }

    private void setTopVar(int n, Object value) {
        vars.get(vars.size() - n).value()[0] = value;
    }

    private Object varValue(String name) {
        for (int i = vars.size() - 1; i >= 0; i--) {
            if (vars.get(i).name().equals(name)) return vars.get(i).value()[0];
        }
        throw errorf("undefined variable: %s", name);
    }

    // ---- walking ----

    private void walk(Object dot, Node n) {
        // A list only groups nodes: when the budget runs out on one, report the enclosing node.
        if (++steps > maxSteps) {
            if (!(n instanceof ListNode)) at(n);
            throw errorf("%s", "template execution exceeds " + maxSteps + " steps (a Tally limit)");
        }
        at(n);
        if (n instanceof ActionNode a) {
            // Variables declared here live to the enclosing end; a declaration prints nothing.
            Object val = evalPipeline(dot, a.pipe());
            if (a.pipe().decl.isEmpty()) printValue(a, val);
        } else if (n instanceof BreakNode) {
            throw BREAK;
        } else if (n instanceof ContinueNode) {
            throw CONTINUE;
        } else if (n instanceof BranchNode b) {
            if (b.kind() == BranchKind.RANGE) walkRange(dot, b);
            else walkIfOrWith(b, dot);
        } else if (n instanceof ListNode l) {
            for (Node c : l.nodes) walk(dot, c);
        } else if (n instanceof TemplateNode t) {
            walkTemplate(dot, t);
        } else if (n instanceof TextNode t) {
            out.append(t.text());
            checkSize(out.length(), "template output");
        } else {
            throw errorf("unknown node: %s", n.string());
        }
    }

    private void walkIfOrWith(BranchNode b, Object dot) {
        int mark = mark();
        try {
            Object val = evalPipeline(dot, b.pipe());
            if (GoValues.isTrue(val)) {
                walk(b.kind() == BranchKind.WITH ? val : dot, b.list());
            } else if (b.elseList() != null) {
                walk(dot, b.elseList());
            }
        } finally {
            pop(mark);
        }
    }

    private void walkRange(Object dot, BranchNode r) {
        at(r);
        int outer = mark();
        try {
            Object val = GoValues.indirect(evalPipeline(dot, r.pipe()));
            int mark = mark();
            boolean ran = false;
            Kind k = GoValues.kind(val);
            if (k == Kind.SLICE) {
                List<Object> items = ((GoSlice) val).items();
                boolean iface = ((GoSlice) val).type().elem.kind == Kind.INTERFACE;
                for (int i = 0; i < items.size(); i++) {
                    ran = true;
                    oneIteration(r, mark, (long) i, iface ? new GoValues.GoIface(items.get(i)) : items.get(i));
                }
            } else if (k == Kind.MAP) {
                boolean iface = ((GoMap) val).type().elem.kind == Kind.INTERFACE;
                for (Map.Entry<String, Object> e : ((GoMap) val).entries().entrySet()) {
                    ran = true;
                    oneIteration(r, mark, e.getKey(), iface ? new GoValues.GoIface(e.getValue()) : e.getValue());
                }
            } else if (k == Kind.INT || k == Kind.UINT) {
                if (r.pipe().decl.size() > 1) throw errorf("can't use %v to iterate over more than one variable", val);
                long n = GoValues.intBits(val);
                for (long i = 0; k == Kind.UINT ? Long.compareUnsigned(i, n) < 0 : i < n; i++) {
                    ran = true;
                    oneIteration(r, mark, null, sameIntType(val, i));
                }
            } else if (val != null) {
                throw errorf("range can't iterate over %v", val);
            }
            if (!ran && r.elseList() != null) walk(dot, r.elseList());
        } catch (Signal s) {
            if (s != BREAK) throw s;
        } finally {
            pop(outer);
        }
    }

    private static Object sameIntType(Object v, long i) {
        if (v instanceof Long) return i;
        if (v instanceof GoValues.GoDuration) return new GoValues.GoDuration(i);
        return new GoInt(i, ((GoInt) v).type());
    }

    private void oneIteration(BranchNode r, int mark, Object index, Object elem) {
        List<VariableNode> decl = r.pipe().decl;
        if (!decl.isEmpty()) {
            if (r.pipe().isAssign) {
                // With two variables the index comes first; with one, the element.
                setVar(decl.get(0).ident().get(0), decl.size() > 1 ? index : elem);
            } else {
                setTopVar(1, elem);
            }
        }
        if (decl.size() > 1) {
            if (r.pipe().isAssign) setVar(decl.get(1).ident().get(0), elem);
            else setTopVar(2, index);
        }
        try {
            at(r);
            walk(elem, r.list());
        } catch (Signal s) {
            if (s != CONTINUE) throw s;
        } finally {
            pop(mark);
        }
    }

    private void walkTemplate(Object dot, TemplateNode t) {
        at(t);
        Parser.Tree tmpl = templates.get(t.name());
        if (tmpl == null) throw errorf("template %q not defined", t.name());
        if (depth == MAX_EXEC_DEPTH) throw errorf("exceeded maximum template depth (%v)", (long) MAX_EXEC_DEPTH);
        // Variables declared by the pipeline persist.
        Object newDot = evalPipeline(dot, t.pipe());
        String savedName = tmplName;
        List<Variable> savedVars = vars;
        // No dynamic scoping: the called template sees only $.
        tmplName = t.name();
        vars = new ArrayList<>();
        vars.add(new Variable("$", new Object[] {newDot}));
        depth++;
        try {
            walk(newDot, tmpl.root());
        } catch (StackOverflowError e) {
            // Go stops runaway recursion at a fixed depth; a Java stack runs out sooner. Report it the same way,
            // from the calling template.
            tmplName = savedName;
            at(t);
            throw errorf("exceeded maximum template depth (%v)", (long) MAX_EXEC_DEPTH);
        } finally {
            depth--;
            tmplName = savedName;
            vars = savedVars;
        }
    }

    // ---- evaluation ----

    private Object evalPipeline(Object dot, PipeNode pipe) {
        if (pipe == null) return null;
        at(pipe);
        Object value = MISSING;
        for (CommandNode cmd : pipe.cmds) {
            // A value of interface type gives way to what it holds, as after each command in Go.
            value = GoValues.unwrap(evalCommand(dot, cmd, value));
        }
        for (VariableNode v : pipe.decl) {
            if (pipe.isAssign) setVar(v.ident().get(0), value);
            else push(v.ident().get(0), value);
        }
        return value;
    }

    private void notAFunction(List<Node> args, Object fin) {
        if (args.size() > 1 || fin != MISSING) throw errorf("can't give argument to non-function %s", args.get(0).string());
    }

    private Object evalCommand(Object dot, CommandNode cmd, Object fin) {
        Node first = cmd.args.get(0);
        if (first instanceof FieldNode f) return evalFieldNode(dot, f, cmd.args, fin);
        if (first instanceof ChainNode c) return evalChainNode(dot, c, cmd.args, fin);
        if (first instanceof IdentifierNode i) return evalFunction(dot, i, cmd, cmd.args, fin);
        if (first instanceof PipeNode p) {
            // A parenthesized pipeline takes no arguments.
            notAFunction(cmd.args, fin);
            return evalPipeline(dot, p);
        }
        if (first instanceof VariableNode v) return evalVariableNode(dot, v, cmd.args, fin);
        at(first);
        notAFunction(cmd.args, fin);
        if (first instanceof BoolNode b) return b.value();
        if (first instanceof DotNode) return dot;
        if (first instanceof NilNode) throw errorf("nil is not a command");
        if (first instanceof NumberNode n) return idealConstant(n);
        if (first instanceof StringNode s) return s.text();
        throw errorf("can't evaluate command %q", first.string());
    }

    /** An untyped number constant where no parameter type decides: its spelling does (1 is int, 1.0 float64). */
    private Object idealConstant(NumberNode c) {
        at(c);
        if (c.isComplex) return new GoComplex(c.re, c.im);
        String t = c.text;
        boolean hexInt = t.length() > 2 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X')
                && t.indexOf('p') < 0 && t.indexOf('P') < 0;
        boolean runeInt = !t.isEmpty() && t.charAt(0) == '\'';
        if (c.isFloat && !hexInt && !runeInt && (t.contains(".") || t.contains("e") || t.contains("E") || t.contains("p") || t.contains("P"))) {
            return c.float64;
        }
        if (c.isInt) return c.int64;
        if (c.isUint) throw errorf("%s overflows int", t);
        return null;
    }

    private Object evalFieldNode(Object dot, FieldNode field, List<Node> args, Object fin) {
        at(field);
        return evalFieldChain(dot, dot, field, field.ident(), args, fin);
    }

    private Object evalChainNode(Object dot, ChainNode chain, List<Node> args, Object fin) {
        at(chain);
        if (chain.fields.isEmpty()) throw errorf("internal error: no fields in evalChainNode");
        if (chain.node instanceof NilNode) throw errorf("indirection through explicit nil in %s", chain.string());
        Object pipe = evalArg(dot, null, chain.node);
        return evalFieldChain(dot, pipe, chain, chain.fields, args, fin);
    }

    private Object evalVariableNode(Object dot, VariableNode v, List<Node> args, Object fin) {
        at(v);
        Object value = varValue(v.ident().get(0));
        if (v.ident().size() == 1) {
            notAFunction(args == null ? List.of(v) : args, fin);
            return value;
        }
        return evalFieldChain(dot, value, v, v.ident().subList(1, v.ident().size()), args, fin);
    }

    private Object evalFieldChain(Object dot, Object receiver, Node n, List<String> ident, List<Node> args, Object fin) {
        int last = ident.size() - 1;
        for (int i = 0; i < last; i++) receiver = evalField(dot, ident.get(i), n, null, MISSING, receiver);
        return evalField(dot, ident.get(last), n, args, fin, receiver);
    }

    private Object evalFunction(Object dot, IdentifierNode n, Node cmd, List<Node> args, Object fin) {
        at(n);
        Func f = funcs.get(n.ident());
        if (f == null) throw errorf("%q is not a defined function", n.ident());
        return evalCall(dot, f, Builtins.isBuiltin(n.ident(), f), cmd, n.ident(), args, fin);
    }

    private Object evalField(Object dot, String fieldName, Node n, List<Node> args, Object fin, Object receiver) {
        if (receiver == null) {
            if (missingKey == MissingKey.ERROR) throw errorf("nil data; no entry for key %q", fieldName);
            return null;
        }
        GoType typ = GoValues.typeOf(receiver);
        // A nil held in an interface-typed slot is a value, and a nil one: Go reports it so.
        if (receiver instanceof GoValues.GoIface i && i.value() == null) throw errorf("nil pointer evaluating %s.%s", typ.name, fieldName);
        receiver = GoValues.indirect(receiver);
        Func method = GoTimes.method(receiver, fieldName);
        if (method != null) return evalCall(dot, method, false, n, fieldName, args, fin);
        boolean hasArgs = (args != null && args.size() > 1) || fin != MISSING;
        if (receiver instanceof GoStruct s) {
            int idx = s.type().fieldIndex(fieldName);
            if (idx >= 0) {
                if (hasArgs) throw errorf("%s has arguments but cannot be invoked as function", fieldName);
                return s.type().fields.get(idx).type().kind == Kind.INTERFACE ? new GoValues.GoIface(s.field(idx)) : s.field(idx);
            }
        } else if (receiver instanceof GoMap m) {
            if (hasArgs) throw errorf("%s is not a method but has arguments", fieldName);
            boolean iface = m.type().elem.kind == Kind.INTERFACE;
            if (m.entries().containsKey(fieldName)) {
                Object v = m.entries().get(fieldName);
                return iface ? new GoValues.GoIface(v) : v;
            }
            switch (missingKey) {
                case ZERO:
                    return iface ? new GoValues.GoIface(null) : GoValues.zero(m.type().elem);
                case ERROR:
                    throw errorf("map has no entry for key %q", fieldName);
                default:
                    return null;
            }
        }
        throw errorf("can't evaluate field %s in type %s", fieldName, typ.name);
    }

    /** Calls a function or bound method; args, when not null, start with the function's own node. */
    private Object evalCall(Object dot, Func fun, boolean isBuiltin, Node n, String name, List<Node> args, Object fin) {
        if (args != null) args = args.subList(1, args.size());
        else args = List.of();
        int nparams = fun.params.length;
        int numIn = args.size() + (fin != MISSING ? 1 : 0);
        int numFixed = args.size();
        if (fun.variadic) {
            numFixed = nparams - 1;
            if (numIn < numFixed) throw errorf("wrong number of args for %s: want at least %d got %d", name, (long) (nparams - 1), (long) args.size());
        } else if (numIn != nparams) {
            throw errorf("wrong number of args for %s: want %d got %d", name, (long) nparams, (long) numIn);
        }
        // and/or evaluate their arguments left to right and stop once the result is known.
        if (isBuiltin && (name.equals("and") || name.equals("or"))) {
            GoType argType = fun.params[0];
            Object v = null;
            for (Node a : args) {
                v = evalArg(dot, argType, a);
                if (GoValues.isTrue(v) == name.equals("or")) return v;
            }
            if (fin != MISSING) v = validateType(fin, argType);
            return v;
        }
        Object[] argv = new Object[numIn];
        int i = 0;
        for (; i < numFixed && i < args.size(); i++) argv[i] = evalArg(dot, fun.params[i], args.get(i));
        if (fun.variadic) {
            GoType elem = fun.params[nparams - 1];
            for (; i < args.size(); i++) argv[i] = evalArg(dot, elem, args.get(i));
        }
        if (fin != MISSING) {
            GoType t = fun.params[nparams - 1];
            if (fun.variadic && numIn - 1 < numFixed) t = fun.params[numIn - 1];
            argv[i] = validateType(fin, t);
        }
        try {
            Object result = fun.body.call(argv);
            if (result instanceof String str && str.length() > MAX_TEXT) {
                at(n);
                checkSize(str.length(), "result of " + name);
            }
            return result;
        } catch (Func.CallError e) {
            at(n);
            throw errorf("error calling %s: %v", name, e.getMessage());
        }
    }

    private Object validateType(Object value, GoType typ) {
        if (value == null) {
            if (typ == null) return null;
            if (typ.canBeNil()) return null;
            throw errorf("invalid value; expected %s", typ.name);
        }
        // Builtins take reflect.Value and see an interface as Go's do; other functions get what it holds.
        if (typ == null || typ.kind == Kind.REFLECT_VALUE) return value;
        if (typ.kind == Kind.INTERFACE) return GoValues.unwrap(value);
        if (value instanceof GoValues.GoIface i && i.value() != null) value = i.value();
        GoType vt = GoValues.typeOf(value);
        if (!vt.equals(typ)) {
            // One dereference is allowed: a *T where a T is wanted.
            if (value instanceof GoPtr p && vt.elem.equals(typ)) return p.elem;
            throw errorf("wrong type for value; expected %s; got %s", typ.name, vt.name);
        }
        return value;
    }

    private Object evalArg(Object dot, GoType typ, Node n) {
        at(n);
        if (n instanceof DotNode) return validateType(dot, typ);
        if (n instanceof NilNode) {
            if (typ != null && typ.canBeNil()) return null;
            throw errorf("cannot assign nil to %s", typ == null ? "<nil>" : typ.name);
        }
        if (n instanceof FieldNode f) return validateType(evalFieldNode(dot, f, List.of(n), MISSING), typ);
        if (n instanceof VariableNode v) return validateType(evalVariableNode(dot, v, null, MISSING), typ);
        if (n instanceof PipeNode p) return validateType(evalPipeline(dot, p), typ);
        if (n instanceof IdentifierNode i) return validateType(evalFunction(dot, i, i, null, MISSING), typ);
        if (n instanceof ChainNode c) return validateType(evalChainNode(dot, c, null, MISSING), typ);
        if (typ == null) return evalEmptyInterface(dot, n);
        switch (typ.kind) {
            case BOOL:
                if (n instanceof BoolNode b) return b.value();
                throw errorf("expected bool; found %s", n.string());
            case COMPLEX:
                if (n instanceof NumberNode num && num.isComplex) return new GoComplex(num.re, num.im);
                throw errorf("expected complex; found %s", n.string());
            case FLOAT:
                if (n instanceof NumberNode num && num.isFloat) return num.float64;
                throw errorf("expected float; found %s", n.string());
            case INT:
                if (n instanceof NumberNode num && num.isInt) {
                    if (typ.equals(GoType.INT)) return num.int64;
                    if (typ.equals(GoType.DURATION)) return new GoValues.GoDuration(num.int64);
                    return new GoInt(num.int64, typ);
                }
                throw errorf("expected integer; found %s", n.string());
            case UINT:
                if (n instanceof NumberNode num && num.isUint) return new GoInt(num.uint64, typ);
                throw errorf("expected unsigned integer; found %s", n.string());
            case INTERFACE, REFLECT_VALUE:
                return evalEmptyInterface(dot, n);
            case STRING:
                if (n instanceof StringNode s) return typ.equals(GoType.STRING) ? s.text() : new GoNamedString(s.text(), typ);
                throw errorf("expected string; found %s", n.string());
            default:
                throw errorf("can't handle %s for arg of type %s", n.string(), typ.name);
        }
    }

    private Object evalEmptyInterface(Object dot, Node n) {
        at(n);
        if (n instanceof BoolNode b) return b.value();
        if (n instanceof DotNode) return dot;
        if (n instanceof FieldNode f) return evalFieldNode(dot, f, null, MISSING);
        if (n instanceof IdentifierNode i) return evalFunction(dot, i, i, null, MISSING);
        if (n instanceof NilNode) throw errorf("evalEmptyInterface: nil (can't happen)");
        if (n instanceof NumberNode num) return idealConstant(num);
        if (n instanceof StringNode s) return s.text();
        if (n instanceof VariableNode v) return evalVariableNode(dot, v, null, MISSING);
        if (n instanceof PipeNode p) return evalPipeline(dot, p);
        throw errorf("can't handle assignment of %s to empty interface argument", n.string());
    }

    // ---- printing ----

    private void printValue(Node n, Object v) {
        at(n);
        out.append(printable(v));
        checkSize(out.length(), "template output");
    }

    private void checkSize(int length, String what) {
        if (length > MAX_TEXT) throw errorf("%s", what + " exceeds " + MAX_TEXT + " characters (a Tally limit)");
    }

    /** What an action prints: pointers followed, the invalid value as {@code <no value>}, the rest as fmt.Print. */
    static String printable(Object v) {
        if (v instanceof GoPtr) v = GoValues.indirect(v);
        if (v == null) return "<no value>";
        return GoFmt.sprint1(v);
    }
}
