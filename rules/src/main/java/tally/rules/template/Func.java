package tally.rules.template;

/**
 * A function or method callable from a template, with its Go signature: the executor checks argument
 * counts and types against it exactly as text/template does with reflection.
 */
final class Func {
    /** The body; arguments are already converted to the parameter types. */
    @FunctionalInterface
    interface Body {
        Object call(Object[] args) throws CallError;
    }

    /** What a Go function returns as its error (or panics with): execution stops with "error calling NAME: ...". */
    static final class CallError extends Exception {
        CallError(String message) {
            super(message, null, false, false);
        }
    }

    final GoType[] params;
    /** When variadic, the last entry of params is the element type of the trailing ...T parameter. */
    final boolean variadic;
    final Body body;

    private Func(GoType[] params, boolean variadic, Body body) {
        this.params = params;
        this.variadic = variadic;
        this.body = body;
    }

    static Func of(Body body, GoType... params) {
        return new Func(params, false, body);
    }

    static Func variadic(Body body, GoType... params) {
        return new Func(params, true, body);
    }

    /** The message Go's runtime gives a nil pointer dereference recovered from a function call. */
    static CallError nilDeref() {
        return new CallError("runtime error: invalid memory address or nil pointer dereference");
    }
}
