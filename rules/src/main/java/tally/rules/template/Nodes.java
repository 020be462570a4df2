package tally.rules.template;

import java.util.ArrayList;
import java.util.List;

/**
 * The parse tree of a template, shaped like Go's text/template/parse nodes. Each node knows its offset in
 * the source (for error locations) and prints itself the way Go does, since execution errors quote the
 * node they stopped at ({@code executing "x" at <humanize "one">}).
 */
final class Nodes {
    private Nodes() {}

    sealed interface Node permits ListNode, TextNode, PipeNode, ActionNode, CommandNode, IdentifierNode,
            VariableNode, DotNode, NilNode, FieldNode, ChainNode, BoolNode, NumberNode, StringNode, EndNode,
            ElseNode, BranchNode, BreakNode, ContinueNode, TemplateNode {
        int pos();

        void writeTo(StringBuilder sb);

        default String string() {
            StringBuilder sb = new StringBuilder();
            writeTo(sb);
            return sb.toString();
        }
    }

    static final class ListNode implements Node {
        final int pos;
        final List<Node> nodes = new ArrayList<>();

        ListNode(int pos) {
            this.pos = pos;
        }

        public int pos() { return pos; }

        public void writeTo(StringBuilder sb) {
            for (Node n : nodes) n.writeTo(sb);
        }
    }

    record TextNode(int pos, String text) implements Node {
        public void writeTo(StringBuilder sb) {
            sb.append(text);
        }
    }

    static final class PipeNode implements Node {
        final int pos;
        final int line;
        boolean isAssign;
        final List<VariableNode> decl = new ArrayList<>();
        final List<CommandNode> cmds = new ArrayList<>();

        PipeNode(int pos, int line) {
            this.pos = pos;
            this.line = line;
        }

        public int pos() { return pos; }

        public void writeTo(StringBuilder sb) {
            if (!decl.isEmpty()) {
                for (int i = 0; i < decl.size(); i++) {
                    if (i > 0) sb.append(", ");
                    decl.get(i).writeTo(sb);
                }
                sb.append(" := ");
            }
            for (int i = 0; i < cmds.size(); i++) {
                if (i > 0) sb.append(" | ");
                cmds.get(i).writeTo(sb);
            }
        }
    }

    record ActionNode(int pos, int line, PipeNode pipe) implements Node {
        public void writeTo(StringBuilder sb) {
            sb.append("{{");
            pipe.writeTo(sb);
            sb.append("}}");
        }
    }

    static final class CommandNode implements Node {
        final int pos;
        final List<Node> args = new ArrayList<>();

        CommandNode(int pos) {
            this.pos = pos;
        }

        public int pos() { return pos; }

        public void writeTo(StringBuilder sb) {
            for (int i = 0; i < args.size(); i++) {
                if (i > 0) sb.append(' ');
                Node a = args.get(i);
                if (a instanceof PipeNode p) {
                    sb.append('(');
                    p.writeTo(sb);
                    sb.append(')');
                } else {
                    a.writeTo(sb);
                }
            }
        }
    }

    record IdentifierNode(int pos, String ident) implements Node {
        public void writeTo(StringBuilder sb) {
            sb.append(ident);
        }
    }

    /** $x or $x.Field.Key; ident[0] is the variable name including '$'. */
    record VariableNode(int pos, List<String> ident) implements Node {
        public void writeTo(StringBuilder sb) {
            sb.append(String.join(".", ident));
        }
    }

    record DotNode(int pos) implements Node {
        public void writeTo(StringBuilder sb) {
            sb.append('.');
        }
    }

    record NilNode(int pos) implements Node {
        public void writeTo(StringBuilder sb) {
            sb.append("nil");
        }
    }

    /** .Field.Key: the identifiers without their dots. */
    record FieldNode(int pos, List<String> ident) implements Node {
        public void writeTo(StringBuilder sb) {
            for (String id : ident) sb.append('.').append(id);
        }
    }

    /** (pipeline).Field or function.Field: a term followed by field accesses. */
    static final class ChainNode implements Node {
        final int pos;
        final Node node;
        final List<String> fields = new ArrayList<>();

        ChainNode(int pos, Node node) {
            this.pos = pos;
            this.node = node;
        }

        public int pos() { return pos; }

        public void writeTo(StringBuilder sb) {
            if (node instanceof PipeNode) {
                sb.append('(');
                node.writeTo(sb);
                sb.append(')');
            } else {
                node.writeTo(sb);
            }
            for (String f : fields) sb.append('.').append(f);
        }
    }

    record BoolNode(int pos, boolean value) implements Node {
        public void writeTo(StringBuilder sb) {
            sb.append(value);
        }
    }

    /**
     * A number constant, held under every type that can represent it exactly, like Go's ideal constants.
     * The text is kept: how a constant is written decides its type where no parameter type does.
     */
    static final class NumberNode implements Node {
        final int pos;
        final String text;
        boolean isInt, isUint, isFloat, isComplex;
        long int64;
        long uint64;
        double float64;
        double re, im;

        NumberNode(int pos, String text) {
            this.pos = pos;
            this.text = text;
        }

        public int pos() { return pos; }

        public void writeTo(StringBuilder sb) {
            sb.append(text);
        }
    }

    /** A string constant: quoted is the source text, text the unquoted value. */
    record StringNode(int pos, String quoted, String text) implements Node {
        public void writeTo(StringBuilder sb) {
            sb.append(quoted);
        }
    }

    record EndNode(int pos) implements Node {
        public void writeTo(StringBuilder sb) {
            sb.append("{{end}}");
        }
    }

    record ElseNode(int pos, int line) implements Node {
        public void writeTo(StringBuilder sb) {
            sb.append("{{else}}");
        }
    }

    enum BranchKind { IF, RANGE, WITH }

    /** if, range and with. elseList is null when there is no else branch. */
    record BranchNode(BranchKind kind, int pos, int line, PipeNode pipe, ListNode list, ListNode elseList) implements Node {
        public void writeTo(StringBuilder sb) {
            sb.append("{{").append(kind.name().toLowerCase(java.util.Locale.ROOT)).append(' ');
            pipe.writeTo(sb);
            sb.append("}}");
            list.writeTo(sb);
            if (elseList != null) {
                sb.append("{{else}}");
                elseList.writeTo(sb);
            }
            sb.append("{{end}}");
        }
    }

    record BreakNode(int pos, int line) implements Node {
        public void writeTo(StringBuilder sb) {
            sb.append("{{break}}");
        }
    }

    record ContinueNode(int pos, int line) implements Node {
        public void writeTo(StringBuilder sb) {
            sb.append("{{continue}}");
        }
    }

    /** {{template "name" pipeline}}; pipe is null without a pipeline. */
    record TemplateNode(int pos, int line, String name, PipeNode pipe) implements Node {
        public void writeTo(StringBuilder sb) {
            sb.append("{{template ").append(GoStrconv.quote(name));
            if (pipe != null) {
                sb.append(' ');
                pipe.writeTo(sb);
            }
            sb.append("}}");
        }
    }
}
