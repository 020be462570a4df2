package tally.rules.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tally.rules.template.Lexer.Item;
import tally.rules.template.Lexer.Type;
import tally.rules.template.Nodes.ActionNode;
import tally.rules.template.Nodes.BoolNode;
import tally.rules.template.Nodes.BranchKind;
import tally.rules.template.Nodes.BranchNode;
import tally.rules.template.Nodes.BreakNode;
import tally.rules.template.Nodes.ChainNode;
import tally.rules.template.Nodes.CommandNode;
import tally.rules.template.Nodes.ContinueNode;
import tally.rules.template.Nodes.DotNode;
import tally.rules.template.Nodes.ElseNode;
import tally.rules.template.Nodes.EndNode;
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
 * Go text/template's recursive-descent parser. It builds one {@link Tree} per template: the top-level one
 * and each {@code define}/{@code block}. Errors read {@code template: NAME:LINE: message}, with LINE the
 * line of the furthest token read, as Go reports it.
 */
final class Parser {
    /** A parsed template: its name and body. All trees of one parse share the source. */
    record Tree(String name, ListNode root) {}

    /** A parse error with Go's message. */
    static final class ParseError extends Exception {
        ParseError(String message) {
            super(message, null, false, false);
        }
    }

    private final String parseName;
    private final List<Item> items;
    private final Set<String> funcs;
    private final Map<String, Tree> treeSet;
    private int index;
    private int furthest = -1;
    private List<String> vars = new ArrayList<>();
    private int actionLine;
    private int rangeDepth;

    private Parser(String parseName, List<Item> items, Set<String> funcs, Map<String, Tree> treeSet) {
        this.parseName = parseName;
        this.items = items;
        this.funcs = funcs;
        this.treeSet = treeSet;
    }

    /**
     * Parses text as the template called name; funcs are the names of the callable functions (builtins
     * included). Returns the top-level tree and every defined one, by name.
     */
    static Map<String, Tree> parse(String name, String text, Set<String> funcs) throws ParseError {
        // break and continue are keywords unless a function of that name exists.
        List<Item> items = Lexer.lex(text, !funcs.contains("break"), !funcs.contains("continue"));
        Map<String, Tree> set = new LinkedHashMap<>();
        Parser p = new Parser(name, items, funcs, set);
        p.vars.add("$");
        ListNode root = p.parseTop();
        p.add(name, root);
        return set;
    }

    // ---- token stream ----

    private Item next() {
        int i = Math.min(index, items.size() - 1);
        if (i > furthest) furthest = i;
        index++;
        return items.get(i);
    }

    private Item peek() {
        int i = Math.min(index, items.size() - 1);
        if (i > furthest) furthest = i;
        return items.get(i);
    }

    private void backup() {
        index--;
    }

    private Item nextNonSpace() {
        Item t;
        do {
            t = next();
        } while (t.type() == Type.SPACE);
        return t;
    }

    private Item peekNonSpace() {
        int save = index;
        Item t = nextNonSpace();
        index = save;
        // Go's peek-by-backup leaves the spaces consumed; skipping them again is equivalent.
        while (index < items.size() && items.get(index).type() == Type.SPACE) index++;
        return t;
    }

    // ---- errors ----

    /** Go splices the name and line into the format before formatting, so a '%' in the name is a verb there too. */
    private ParseError errorf(String format, Object... args) {
        int line = items.get(Math.max(0, Math.min(furthest, items.size() - 1))).line();
        return new ParseError(GoFmt.sprintf("template: " + parseName + ":" + line + ": " + format, List.of(args)));
    }

    private ParseError unexpected(Item token, String context) {
        if (token.type() == Type.ERROR) {
            String extra = "";
            if (actionLine != 0 && actionLine != token.line()) {
                extra = " in action started at " + parseName + ":" + actionLine;
                if (token.val().endsWith(" action")) extra = extra.substring(" in action".length());
            }
            return errorf("%s%s", token.toString(), extra);
        }
        return errorf("unexpected %s in %s", token.toString(), context);
    }

    private Item expect(Type expected, String context) throws ParseError {
        Item t = nextNonSpace();
        if (t.type() != expected) throw unexpected(t, context);
        return t;
    }

    // ---- structure ----

    private void add(String name, ListNode root) throws ParseError {
        Tree old = treeSet.get(name);
        if (old == null || isEmptyTree(old.root())) {
            treeSet.put(name, new Tree(name, root));
            return;
        }
        if (!isEmptyTree(root)) throw errorf("template: multiple definition of template %q", name);
    }

    /** Whether a body has nothing but space: such a definition does not replace another. */
    static boolean isEmptyTree(Node n) {
        if (n == null) return true;
        if (n instanceof ListNode l) {
            for (Node c : l.nodes) if (!isEmptyTree(c)) return false;
            return true;
        }
        if (n instanceof TextNode t) return t.text().codePoints().allMatch(Parser::isUnicodeSpace);
        return false;
    }

    /** Go's unicode.IsSpace. */
    static boolean isUnicodeSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || (c > 0xff && Character.isSpaceChar(c));
    }

    private ListNode parseTop() throws ParseError {
        ListNode root = new ListNode(peek().pos());
        while (peek().type() != Type.EOF) {
            if (peek().type() == Type.LEFT_DELIM) {
                int save = index;
                next();
                if (nextNonSpace().type() == Type.DEFINE) {
                    parseDefinition();
                    continue;
                }
                index = save;
            }
            Node n = textOrAction();
            if (n instanceof EndNode || n instanceof ElseNode) throw errorf("unexpected %s", n.string());
            root.nodes.add(n);
        }
        return root;
    }

    private void parseDefinition() throws ParseError {
        String context = "define clause";
        Item name = nextNonSpace();
        if (name.type() != Type.STRING && name.type() != Type.RAW_STRING) throw unexpected(name, context);
        String defName = GoStrconv.unquote(name.val());
        if (defName == null) throw errorf("%s", "invalid syntax");
        expect(Type.RIGHT_DELIM, context);
        List<String> savedVars = vars;
        vars = new ArrayList<>(List.of("$"));
        Node[] end = new Node[1];
        ListNode root = itemList(end);
        if (!(end[0] instanceof EndNode)) throw errorf("unexpected %s in %s", end[0].string(), context);
        add(defName, root);
        vars = savedVars;
    }

    /** textOrAction* up to {{end}} or {{else}}, which is returned in end[0]. */
    private ListNode itemList(Node[] end) throws ParseError {
        ListNode list = new ListNode(peekNonSpace().pos());
        while (peekNonSpace().type() != Type.EOF) {
            Node n = textOrAction();
            if (n instanceof EndNode || n instanceof ElseNode) {
                end[0] = n;
                return list;
            }
            list.nodes.add(n);
        }
        throw errorf("unexpected EOF");
    }

    private Node textOrAction() throws ParseError {
        Item t = nextNonSpace();
        switch (t.type()) {
            case TEXT:
                return new TextNode(t.pos(), t.val());
            case LEFT_DELIM:
                actionLine = t.line();
                try {
                    return action();
                } finally {
                    actionLine = 0;
                }
            default:
                throw unexpected(t, "input");
        }
    }

    private Node action() throws ParseError {
        Item t = nextNonSpace();
        switch (t.type()) {
            case BLOCK: return blockControl();
            case BREAK: return breakControl(t, "{{break}}");
            case CONTINUE: return breakControl(t, "{{continue}}");
            case ELSE: return elseControl();
            case END: return new EndNode(expect(Type.RIGHT_DELIM, "end").pos());
            case IF: return branch(BranchKind.IF, "if");
            case RANGE: return branch(BranchKind.RANGE, "range");
            case TEMPLATE: return templateControl();
            case WITH: return branch(BranchKind.WITH, "with");
            default:
                break;
        }
        backup();
        Item tok = peek();
        // Variables declared here persist to the enclosing {{end}}.
        return new ActionNode(tok.pos(), tok.line(), pipeline("command", Type.RIGHT_DELIM));
    }

    private Node breakControl(Item kw, String what) throws ParseError {
        Item t = nextNonSpace();
        if (t.type() != Type.RIGHT_DELIM) throw unexpected(t, what);
        if (rangeDepth == 0) throw errorf("%s outside {{range}}", what);
        return kw.type() == Type.BREAK ? new BreakNode(kw.pos(), kw.line()) : new ContinueNode(kw.pos(), kw.line());
    }

    private Node elseControl() throws ParseError {
        Item peek = peekNonSpace();
        // "{{else if" and "{{else with" leave the keyword for the enclosing control to parse.
        if (peek.type() == Type.IF || peek.type() == Type.WITH) return new ElseNode(peek.pos(), peek.line());
        Item t = expect(Type.RIGHT_DELIM, "else");
        return new ElseNode(t.pos(), t.line());
    }

    private Node branch(BranchKind kind, String context) throws ParseError {
        int mark = vars.size();
        try {
            PipeNode pipe = pipeline(context, Type.RIGHT_DELIM);
            if (kind == BranchKind.RANGE) rangeDepth++;
            Node[] next = new Node[1];
            ListNode list = itemList(next);
            if (kind == BranchKind.RANGE) rangeDepth--;
            ListNode elseList = null;
            if (next[0] instanceof ElseNode) {
                // {{else if ...}} is {{else}}{{if ...}}...{{end}}{{end}} with the inner end implied; same for with.
                if (kind == BranchKind.IF && peek().type() == Type.IF) {
                    next();
                    elseList = new ListNode(next[0].pos());
                    elseList.nodes.add(branch(BranchKind.IF, "if"));
                } else if (kind == BranchKind.WITH && peek().type() == Type.WITH) {
                    next();
                    elseList = new ListNode(next[0].pos());
                    elseList.nodes.add(branch(BranchKind.WITH, "with"));
                } else {
                    elseList = itemList(next);
                    if (!(next[0] instanceof EndNode)) throw errorf("expected end; found %s", next[0].string());
                }
            }
            return new BranchNode(kind, pipe.pos, pipe.line, pipe, list, elseList);
        } finally {
            while (vars.size() > mark) vars.remove(vars.size() - 1);
        }
    }

    private Node blockControl() throws ParseError {
        String context = "block clause";
        Item token = nextNonSpace();
        String name = templateName(token, context);
        PipeNode pipe = pipeline(context, Type.RIGHT_DELIM);
        // The block body is a template of its own: no outer variables, no enclosing range.
        List<String> savedVars = vars;
        int savedRange = rangeDepth, savedAction = actionLine;
        vars = new ArrayList<>(List.of("$"));
        rangeDepth = 0;
        Node[] end = new Node[1];
        ListNode root = itemList(end);
        vars = savedVars;
        rangeDepth = savedRange;
        actionLine = savedAction;
        if (!(end[0] instanceof EndNode)) throw errorf("unexpected %s in %s", end[0].string(), context);
        add(name, root);
        return new TemplateNode(token.pos(), token.line(), name, pipe);
    }

    private Node templateControl() throws ParseError {
        String context = "template clause";
        Item token = nextNonSpace();
        String name = templateName(token, context);
        PipeNode pipe = null;
        if (nextNonSpace().type() != Type.RIGHT_DELIM) {
            backup();
            pipe = pipeline(context, Type.RIGHT_DELIM);
        }
        return new TemplateNode(token.pos(), token.line(), name, pipe);
    }

    private String templateName(Item token, String context) throws ParseError {
        if (token.type() == Type.STRING || token.type() == Type.RAW_STRING) {
            String s = GoStrconv.unquote(token.val());
            if (s == null) throw errorf("%s", "invalid syntax");
            return s;
        }
        throw unexpected(token, context);
    }

    // ---- pipelines ----

    private PipeNode pipeline(String context, Type end) throws ParseError {
        Item first = peekNonSpace();
        PipeNode pipe = new PipeNode(first.pos(), first.line());
        decls:
        while (true) {
            Item v = peekNonSpace();
            if (v.type() != Type.VARIABLE) break;
            int save = index;
            next();
            Item nxt = peekNonSpace();
            if (nxt.type() == Type.ASSIGN || nxt.type() == Type.DECLARE) {
                pipe.isAssign = nxt.type() == Type.ASSIGN;
                nextNonSpace();
                pipe.decl.add(newVariable(v.pos(), v.val()));
                vars.add(v.val());
            } else if (nxt.type() == Type.CHAR && nxt.val().equals(",")) {
                nextNonSpace();
                pipe.decl.add(newVariable(v.pos(), v.val()));
                vars.add(v.val());
                if (context.equals("range") && pipe.decl.size() < 2) {
                    Type pt = peekNonSpace().type();
                    if (pt == Type.VARIABLE || pt == Type.RIGHT_DELIM || pt == Type.RIGHT_PAREN) continue decls;
                    throw errorf("range can only initialize variables");
                }
                throw errorf("too many declarations in %s", context);
            } else {
                // Not a declaration: $x starts a command.
                index = save;
            }
            break;
        }
        while (true) {
            Item t = nextNonSpace();
            if (t.type() == end) {
                checkPipeline(pipe, context);
                return pipe;
            }
            switch (t.type()) {
                case BOOL, CHAR_CONSTANT, COMPLEX, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING,
                        VARIABLE, LEFT_PAREN -> {
                    backup();
                    pipe.cmds.add(command());
                }
                default -> throw unexpected(t, context);
            }
        }
    }

    private void checkPipeline(PipeNode pipe, String context) throws ParseError {
        if (pipe.cmds.isEmpty()) throw errorf("missing value for %s", context);
        // Only the first command of a pipeline may start with a non-executable operand.
        for (int i = 1; i < pipe.cmds.size(); i++) {
            Node a = pipe.cmds.get(i).args.get(0);
            if (a instanceof BoolNode || a instanceof DotNode || a instanceof NilNode || a instanceof NumberNode || a instanceof StringNode) {
                throw errorf("non executable command in pipeline stage %d", (long) (i + 1));
            }
        }
    }

    private CommandNode command() throws ParseError {
        CommandNode cmd = new CommandNode(peekNonSpace().pos());
        while (true) {
            peekNonSpace();
            Node operand = operand();
            if (operand != null) cmd.args.add(operand);
            Item t = next();
            switch (t.type()) {
                case SPACE:
                    continue;
                case RIGHT_DELIM, RIGHT_PAREN:
                    backup();
                    break;
                case PIPE:
                    break;
                default:
                    throw unexpected(t, "operand");
            }
            break;
        }
        if (cmd.args.isEmpty()) throw errorf("empty command");
        return cmd;
    }

    private Node operand() throws ParseError {
        Node node = term();
        if (node == null) return null;
        if (peek().type() == Type.FIELD) {
            ChainNode chain = new ChainNode(peek().pos(), node);
            while (peek().type() == Type.FIELD) chain.fields.add(next().val().substring(1));
            // Fields on a field or variable extend it; on a literal they are an error; otherwise a chain.
            if (node instanceof FieldNode f) {
                List<String> ids = new ArrayList<>(f.ident());
                ids.addAll(chain.fields);
                return new FieldNode(chain.pos(), ids);
            }
            if (node instanceof VariableNode v) {
                List<String> ids = new ArrayList<>(v.ident());
                ids.addAll(chain.fields);
                return new VariableNode(chain.pos(), ids);
            }
            if (node instanceof BoolNode || node instanceof StringNode || node instanceof NumberNode
                    || node instanceof NilNode || node instanceof DotNode) {
                throw errorf("unexpected . after term %q", node.string());
            }
            return chain;
        }
        return node;
    }

    private Node term() throws ParseError {
        Item t = nextNonSpace();
        switch (t.type()) {
            case IDENTIFIER:
                if (!funcs.contains(t.val())) throw errorf("function %q not defined", t.val());
                return new IdentifierNode(t.pos(), t.val());
            case DOT:
                return new DotNode(t.pos());
            case NIL:
                return new NilNode(t.pos());
            case VARIABLE:
                return useVar(t.pos(), t.val());
            case FIELD:
                return new FieldNode(t.pos(), List.of(t.val().substring(1)));
            case BOOL:
                return new BoolNode(t.pos(), t.val().equals("true"));
            case CHAR_CONSTANT, COMPLEX, NUMBER:
                return newNumber(t);
            case LEFT_PAREN:
                return pipeline("parenthesized pipeline", Type.RIGHT_PAREN);
            case STRING, RAW_STRING: {
                String s = GoStrconv.unquote(t.val());
                if (s == null) throw errorf("%s", "invalid syntax");
                return new StringNode(t.pos(), t.val(), s);
            }
            default:
                backup();
                return null;
        }
    }

    private static VariableNode newVariable(int pos, String ident) {
        return new VariableNode(pos, List.of(ident.split("\\.", -1)));
    }

    private Node useVar(int pos, String name) throws ParseError {
        VariableNode v = newVariable(pos, name);
        if (!vars.contains(v.ident().get(0))) throw errorf("undefined variable %q", v.ident().get(0));
        return v;
    }

    // ---- numbers ----

    private NumberNode newNumber(Item t) throws ParseError {
        String text = t.val();
        NumberNode n = new NumberNode(t.pos(), text);
        if (t.type() == Type.CHAR_CONSTANT) {
            GoStrconv.Unquoted u = GoStrconv.unquoteChar(text, 1, '\'');
            if (u == null) throw errorf("%s", "invalid syntax");
            if (!text.substring(u.next()).equals("'")) throw errorf("%s", "malformed character constant: " + text);
            n.int64 = n.uint64 = u.rune();
            n.float64 = u.rune();
            n.isInt = n.isUint = n.isFloat = true;
            return n;
        }
        if (t.type() == Type.COMPLEX) {
            parseComplex(n, text);
            return n;
        }
        if (text.endsWith("i")) {
            try {
                double im = GoStrconv.parseFloat(text.substring(0, text.length() - 1));
                n.isComplex = true;
                n.im = im;
                simplifyComplex(n);
                return n;
            } catch (GoStrconv.NumError e) {
                // not an imaginary literal; fall through to the integer and float attempts
            }
        }
        Long u = GoStrconv.parseUint(text);
        if (u != null) {
            n.isUint = true;
            n.uint64 = u;
        }
        Long i = GoStrconv.parseInt(text);
        if (i != null) {
            n.isInt = true;
            n.int64 = i;
            if (i == 0) {
                n.isUint = true; // -0
                n.uint64 = 0;
            }
        }
        if (n.isInt) {
            n.isFloat = true;
            n.float64 = n.int64;
        } else if (n.isUint) {
            n.isFloat = true;
            n.float64 = unsignedToDouble(n.uint64);
        } else {
            try {
                double f = GoStrconv.parseFloat(text);
                // A float that looks like an integer is an integer too large for int64 or uint64.
                if (!containsAny(text, ".eEpP")) throw errorf("%s", "integer overflow: " + GoStrconv.quote(text));
                n.isFloat = true;
                n.float64 = f;
                if (!n.isInt && f == Math.rint(f) && f >= -0x1p63 && f < 0x1p63) {
                    n.isInt = true;
                    n.int64 = (long) f;
                }
                if (!n.isUint && f == Math.rint(f) && f >= 0 && f < 0x1p64) {
                    n.isUint = true;
                    n.uint64 = doubleToUnsigned(f);
                }
            } catch (GoStrconv.NumError e) {
                // falls to the illegal-syntax error below
            }
        }
        if (!n.isInt && !n.isUint && !n.isFloat) throw errorf("%s", "illegal number syntax: " + GoStrconv.quote(text));
        return n;
    }

    private void parseComplex(NumberNode n, String text) throws ParseError {
        // real part, then a signed imaginary part ending in 'i' (the lexer guarantees the shape)
        int split = -1;
        for (int k = text.length() - 2; k > 0; k--) {
            char c = text.charAt(k);
            if ((c == '+' || c == '-') && text.charAt(k - 1) != 'e' && text.charAt(k - 1) != 'E'
                    && text.charAt(k - 1) != 'p' && text.charAt(k - 1) != 'P') {
                split = k;
                break;
            }
        }
        try {
            if (split < 0) throw new GoStrconv.NumError("expected complex");
            n.re = GoStrconv.parseFloat(text.substring(0, split));
            n.im = GoStrconv.parseFloat(text.substring(split, text.length() - 1));
        } catch (GoStrconv.NumError e) {
            throw errorf("%s", "expected integer");
        }
        n.isComplex = true;
        simplifyComplex(n);
    }

    private static void simplifyComplex(NumberNode n) {
        n.isFloat = n.im == 0;
        if (n.isFloat) {
            n.float64 = n.re;
            n.isInt = n.re == Math.rint(n.re) && Math.abs(n.re) < 0x1p63;
            if (n.isInt) n.int64 = (long) n.re;
            n.isUint = n.re == Math.rint(n.re) && n.re >= 0 && n.re < 0x1p64;
            if (n.isUint) n.uint64 = doubleToUnsigned(n.re);
        }
    }

    private static boolean containsAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) if (chars.indexOf(s.charAt(i)) >= 0) return true;
        return false;
    }

    static double unsignedToDouble(long u) {
        double d = (double) (u >>> 1) * 2.0;
        return d + (u & 1);
    }

    private static long doubleToUnsigned(double f) {
        if (f < 0x1p63) return (long) f;
        return (long) (f - 0x1p63) ^ Long.MIN_VALUE;
    }
}
