package tally.bench;

/** JVM flags every forked benchmark JVM needs (Chronicle Map compiles and opens JDK internals). */
public final class JvmFlags {
    public static final String ADD_OPENS_1 = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    public static final String ADD_OPENS_2 = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    public static final String ADD_EXPORTS_1 = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String ADD_EXPORTS_2 = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    public static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";

    private JvmFlags() {}
}
