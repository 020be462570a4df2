package tally.promql.ast;

import java.util.List;

/** A function call, already checked against its {@link FunctionSignature}. */
public record Call(FunctionSignature function, List<Expr> args, PositionRange pos) implements Expr {
    public Call {
        args = List.copyOf(args);
    }

    @Override public ValueType type() { return function.returnType(); }
    @Override public String toString() { return Printer.print(this); }
}
