package tally.promql.ast;

import java.util.List;

/**
 * What a function accepts and returns, kept apart from how it is computed (the engine maps names
 * to implementations). {@code optionalArgs}: how many trailing {@code argTypes} may be omitted;
 * {@code variadic}: the last argument type may repeat without limit.
 */
public record FunctionSignature(String name, List<ValueType> argTypes, int optionalArgs, boolean variadic,
                                ValueType returnType, boolean experimental) {
    public FunctionSignature {
        argTypes = List.copyOf(argTypes);
    }

    public int minArgs() { return argTypes.size() - optionalArgs; }

    /** -1 when variadic. */
    public int maxArgs() { return variadic ? -1 : argTypes.size(); }
}
