package tally.rules.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Go library behaviours behind Prometheus's functions: x/text title casing, strings.ToUpper/ToLower,
 * net.ParseIP and net.SplitHostPort, regexp's ReplaceAllString, time.Duration's String. The vectors
 * (operation, inputs..., expected) are a sample of a larger set checked against those Go functions.
 */
class GoLibrariesTest {
    private static final List<String[]> VECTORS = List.of(
            new String[] {"title", "\u0434\"2_?", "\u0414\"2_?"},
            new String[] {"title", "\ufb01\u01c6\u0434b\u4e2d\u00df\u0301-", "Fi\u01c6\u0434b\u4e2dSs\u0301-"},
            new String[] {"title", "\u4e2d-", "\u4e2d-"},
            new String[] {"title", "\"1\u00df))\u2019\u01c5A(", "\"1Ss))\u2019\u01c5A("},
            new String[] {"title", "\u200d\u20199$$", "\u200d\u20199$$"},
            new String[] {"title", ";\u0131\u01c6Z`\ufb01\u304b1\u4e2d[\u00e9A", ";I\u01c6Z`Fi\u304b1\u4e2d[\u00c9A"},
            new String[] {"title", "zz\u2019&\u200d]", "Zz\u2019&\u200d]"},
            new String[] {"title", "\u0149[Z\u6587", "\u02bcN[Z\u6587"},
            new String[] {"title", "\u0149\u6587: A_[\u03c3\n,", "\u02bcN\u6587: A_[\u03a3\n,"},
            new String[] {"title", "3zz.z\u01c5", "3Zz.z\u01c5"},
            new String[] {"title", "[b\u03c3", "[B\u03c3"},
            new String[] {"title", "&(_\n\u00c9\u01c6\"1[", "&(_\n\u00c9\u01c6\"1["},
            new String[] {"title", "", ""},
            new String[] {"title", "\u03c2`\u03c2", "\u03a3`\u03a3"},
            new String[] {"title", " \u00e9\u0414\ufb01)$ 3;z", " \u00c9\u0414\ufb01)$ 3;Z"},
            new String[] {"title", ";\u01c53\u00a0\u4e2d\ufb01Z,\t\u0301\u0414\u0414", ";\u01c53\u00a0\u4e2dFiZ,\t\u0301\u0414\u0414"},
            new String[] {"title", "A\u00c9\u4e2d_\u01c4\u0301\u03c3a", "A\u00c9\u4e2d_\u01c5\u0301\u03c3a"},
            new String[] {"title", "\u03c3", "\u03a3"},
            new String[] {"title", "z\u00c9", "Z\u00c9"},
            new String[] {"title", "A:\u0149&9", "A:\u0149&9"},
            new String[] {"title", "\u0149.-?\u01c5\u4e2d", "\u02bcN.-?\u01c5\u4e2d"},
            new String[] {"title", ".\u00dfB\u30ab'_\u01c5b", ".SsB\u30ab'_\u01c5b"},
            new String[] {"title", "\u0414\u01c6B\u0434B\u00b7\u0149", "\u0414\u01c6B\u0434B\u00b7\u0149"},
            new String[] {"title", "", ""},
            new String[] {"title", "$\n\"\u03c2!", "$\n\"\u03a3!"},
            new String[] {"title", "\u0149,\u2019\u304b`\u30ab\"\u01c5\u01c4\u4e2d ", "\u02bcN,\u2019\u304b`\u30ab\"\u01c5\u01c4\u4e2d "},
            new String[] {"title", "", ""},
            new String[] {"title", "\u01c4\u00df\u00c9\u30ab", "\u01c5\u00df\u00c9\u30ab"},
            new String[] {"title", "B\u0131\u00b7\"\u304b\u03c3]]!;`\u0301", "B\u0131\u00b7\"\u304b\u03a3]]!;`\u0301"},
            new String[] {"title", "z\u304b'\u03a3\u0414-", "Z\u304b'\u03a3\u0414-"},
            new String[] {"title", "", ""},
            new String[] {"title", "a\u2019&1:\ufb01\u03c2\u4e2d,:\u200d", "A\u2019&1:Fi\u03c2\u4e2d,:\u200d"},
            new String[] {"title", ")\u30ab\ufb01\u00a0:\u2019", ")\u30abFi\u00a0:\u2019"},
            new String[] {"title", "]3\u01c5z\u304b\u00b7_bB_", "]3\u01c5z\u304b\u00b7_BB_"},
            new String[] {"title", "[(\u4e2d\u00df\u0434b:\u00df\u03a3 ", "[(\u4e2dSs\u0434b:\u00df\u03a3 "},
            new String[] {"title", "Z\u03a3.-\u03c2\u0301\u00a0\u4e2d\"`)\u0130", "Z\u03a3.-\u03a3\u0301\u00a0\u4e2d\"`)\u0130"},
            new String[] {"title", "\u00a0]\u00a0\u0301)2", "\u00a0]\u00a0\u0301)2"},
            new String[] {"title", "\t.$Bb\u01c4", "\t.$Bb\u01c4"},
            new String[] {"title", "\u03a3\u00b7\u03a3", "\u03a3\u00b7\u03a3"},
            new String[] {"title", "\u0149\u304b`\u0130`\u00c9\u00c9`\u00df\u2019", "\u02bcN\u304b`\u0130`\u00c9\u00c9`Ss\u2019"},
            new String[] {"title", "\ufb01 \u01c4\u03c33\ufb01]:\"", "Fi \u01c5\u03c33\ufb01]:\""},
            new String[] {"title", "`\u00b7\u200d", "`\u00b7\u200d"},
            new String[] {"title", "", ""},
            new String[] {"title", "[&)'&", "[&)'&"},
            new String[] {"title", "\u00df\u0414\u200d$\u00df\",3\".", "Ss\u0414\u200d$Ss\",3\"."},
            new String[] {"title", "(\u0149B]\u00b7Z\u0149\u0149", "(\u02bcNB]\u00b7Z\u0149\u0149"},
            new String[] {"title", "\u00c9\u0149\u304b_a\ufb01.9", "\u00c9\u0149\u304b_A\ufb01.9"},
            new String[] {"title", "`$;\u03c3\u0149-z\u01c6", "`$;\u03a3\u0149-Z\u01c6"},
            new String[] {"title", "\u6587\u00a0\u0149\u0434\u00b7\u0149\u03c2\u00c9(\u200d", "\u6587\u00a0\u02bcN\u0434\u00b7\u0149\u03c2\u00c9(\u200d"},
            new String[] {"title", "z\u30ab\u00c9Z Z\u03c3\ufb019\n\u0131", "Z\u30ab\u00c9Z Z\u03c3\ufb019\nI"},
            new String[] {"upper", "_\n]\u30ab\u0301&,\"\u0434\"\u0414", "_\n]\u30ab\u0301&,\"\u0414\"\u0414"},
            new String[] {"upper", "\u2019", "\u2019"},
            new String[] {"upper", "\u01c6\u01c6!", "\u01c4\u01c4!"},
            new String[] {"upper", ",\u00c9)\ufb01\u00df'", ",\u00c9)\ufb01\u00df'"},
            new String[] {"upper", ",\ufb01\u00df(?$'b", ",\ufb01\u00df(?$'B"},
            new String[] {"upper", "1 .\u00a0\u03a3\ufb01.\u0414\u4e2d._\u2019", "1 .\u00a0\u03a3\ufb01.\u0414\u4e2d._\u2019"},
            new String[] {"upper", "\u01c5(\"\u0131", "\u01c4(\"I"},
            new String[] {"upper", "\u00df\u30ab_\u01c5\u03a3-", "\u00df\u30ab_\u01c4\u03a3-"},
            new String[] {"upper", "\u00c9\"a.\u4e2d\u01c6`\n", "\u00c9\"A.\u4e2d\u01c4`\n"},
            new String[] {"upper", "1]\u01c6\n3\u03c2", "1]\u01c4\n3\u03a3"},
            new String[] {"lower", "\u6587!$\u01c5\u00c9\u0414\"\u03c3", "\u6587!$\u01c6\u00e9\u0434\"\u03c3"},
            new String[] {"lower", ".\u0434\u6587", ".\u0434\u6587"},
            new String[] {"lower", "$A\u304b&", "$a\u304b&"},
            new String[] {"lower", "\u0131\t", "\u0131\t"},
            new String[] {"lower", "?Za\u00df", "?za\u00df"},
            new String[] {"lower", "\u00a0", "\u00a0"},
            new String[] {"lower", "\t-Z\u03a3)\u01c5\ufb019\u200d[[\ufb01", "\t-z\u03c3)\u01c6\ufb019\u200d[[\ufb01"},
            new String[] {"lower", "_`\u0131\t]\u03c2\u03c3]\u00df", "_`\u0131\t]\u03c2\u03c3]\u00df"},
            new String[] {"lower", "1)Z", "1)z"},
            new String[] {"lower", "", ""},
            new String[] {"ip", "256fe80", "false"},
            new String[] {"ip", ":ffff12345:::ffff", "false"},
            new String[] {"ip", ".21", "false"},
            new String[] {"ip", "255256[01ffff", "false"},
            new String[] {"ip", "112345222", "false"},
            new String[] {"ip", "]1.2.3.4::255[", "false"},
            new String[] {"ip", "211::", "true"},
            new String[] {"ip", ":01", "false"},
            new String[] {"ip", ".%eth02ffffga]g", "false"},
            new String[] {"ip", "[ffff:12345.256gfe80", "false"},
            new String[] {"ip", "g:", "false"},
            new String[] {"ip", "1.2.3.401", "false"},
            new String[] {"ip", "01a01ffff::112345", "false"},
            new String[] {"ip", "fe801.2.3.4ggfe800%eth0fe801.2.3.4", "false"},
            new String[] {"ip", "::::%eth00101ffff[", "false"},
            new String[] {"ip", ".1.2.3.4255", "false"},
            new String[] {"ip", "..ffff.%eth0..::", "false"},
            new String[] {"ip", "ffffffff255.]fe80ffff", "false"},
            new String[] {"ip", ".255%eth0ffff[:", "false"},
            new String[] {"ip", ":::]1.2.3.40256::256", "false"},
            new String[] {"ip", "256ffff::[0]ffff[", "false"},
            new String[] {"ip", "ffff[0256::]2", "false"},
            new String[] {"ip", "gffff:::2%eth0g", "false"},
            new String[] {"ip", "%eth0%eth0", "false"},
            new String[] {"ip", "1.2.3.4::", "false"},
            new String[] {"ip", "0a", "false"},
            new String[] {"ip", "affff", "false"},
            new String[] {"ip", ".2ffff01ffff", "false"},
            new String[] {"ip", "12345:::fe80fe80::", "false"},
            new String[] {"ip", "g256", "false"},
            new String[] {"ip", "::::2552552%eth01g", "false"},
            new String[] {"ip", "256::21", "true"},
            new String[] {"ip", "1g", "false"},
            new String[] {"ip", "1.2.3.4g1.2.3.4ffff", "false"},
            new String[] {"ip", ":1.2.3.40::1.2.3.40101", "false"},
            new String[] {"ip", "012]", "false"},
            new String[] {"ip", "fffffe800255", "false"},
            new String[] {"ip", "12345::fe8012345g2562561.2.3.4fe80", "false"},
            new String[] {"ip", "0g.fe80::.1.2.3.4", "false"},
            new String[] {"ip", "fe80ffff11.2.3.4256ffff12345fe80.", "false"},
            new String[] {"split", "256ffff2ffff2255ffff", "||true"},
            new String[] {"split", "1.2.3.4g", "||true"},
            new String[] {"split", "[fffffe80a:.", "||true"},
            new String[] {"split", "fe80g255", "||true"},
            new String[] {"split", "1.2.3.4:]", "||true"},
            new String[] {"split", "1.2.3.41.2.3.4g[", "||true"},
            new String[] {"split", "]ffffg0]01", "||true"},
            new String[] {"split", "%eth0g::fe801.2.3.42", "||true"},
            new String[] {"split", "ffff]g256::12345", "||true"},
            new String[] {"split", "%eth0]1.2.3.4[256::12345", "||true"},
            new String[] {"split", "2fe801", "||true"},
            new String[] {"split", "1", "||true"},
            new String[] {"split", "1.2.3.4256::1fe80", "||true"},
            new String[] {"split", "0gfe8025501].1.2.3.4ffff", "||true"},
            new String[] {"split", "10101fe80]2ffff", "||true"},
            new String[] {"split", "a255g256", "||true"},
            new String[] {"split", "g00.ffff", "||true"},
            new String[] {"split", "02..a:afe8001", "02..a|afe8001|false"},
            new String[] {"split", "1.2.3.41%eth0gfe80", "||true"},
            new String[] {"split", "g255212560112345[.", "||true"},
            new String[] {"split", "01%eth0[", "||true"},
            new String[] {"split", "0", "||true"},
            new String[] {"split", "ffff]", "||true"},
            new String[] {"split", "ffff]", "||true"},
            new String[] {"split", ".::]]a256ffff255fe80", "||true"},
            new String[] {"split", "%eth0", "||true"},
            new String[] {"split", "%eth0%eth0", "||true"},
            new String[] {"split", "2]", "||true"},
            new String[] {"split", "::0ag::%eth0[256", "||true"},
            new String[] {"split", "ffff[212345:1.2.3.4", "||true"},
            new String[] {"split", ":g", "|g|false"},
            new String[] {"split", "12345]1.2.3.401", "||true"},
            new String[] {"split", "]%eth0fe80g[fffffe80", "||true"},
            new String[] {"split", "a256]%eth0256:%eth02.", "||true"},
            new String[] {"split", "2551256g12", "||true"},
            new String[] {"split", "[01::", "||true"},
            new String[] {"split", "aa255", "||true"},
            new String[] {"split", "2g0256255", "||true"},
            new String[] {"split", "1.2.3.41234522fe80", "||true"},
            new String[] {"split", ".:ffffaffff255[", "||true"},
            new String[] {"repl", "(?m)^b", "-", "abc", "abc"},
            new String[] {"repl", "x?", "${x}", "a", "a"},
            new String[] {"repl", "", "", "abc", "abc"},
            new String[] {"repl", "(a|ab)(c|bcd)", "$$", "abcd abcd", "$ $"},
            new String[] {"repl", "\\d", "${x", "\u00e9\u00e9a", "\u00e9\u00e9a"},
            new String[] {"repl", ".", "${x}", "abcd abcd", ""},
            new String[] {"repl", "\\b", "$2$1", "aabbcc", "aabbcc"},
            new String[] {"repl", "(?i)A", "", "aabbcc", "bbcc"},
            new String[] {"repl", "(a|ab)(c|bcd)", "$10", "aabbcc", "aabbcc"},
            new String[] {"repl", "\u00e9+", "$x", "aabbcc", "aabbcc"},
            new String[] {"repl", "\u00e9+", "${1}", "a", "a"},
            new String[] {"repl", "\\b", "$$", "abcd abcd", "$abcd$ $abcd$"},
            new String[] {"repl", "^", "[$0]", "", "[]"},
            new String[] {"repl", "(?i)A", "$2$1", "xax", "xx"},
            new String[] {"repl", "\\b", "$1x", "", ""},
            new String[] {"repl", ".", "[$0]", "aabbcc", "[a][a][b][b][c][c]"},
            new String[] {"repl", "^", "[$0]", "b\nb", "[]b\nb"},
            new String[] {"repl", "x?", "$1", "aabbcc", "aabbcc"},
            new String[] {"repl", "$", "$x", "abcd abcd", "abcd abcd"},
            new String[] {"repl", "a*", "$x", "xax", "xx"},
            new String[] {"repl", "\\d", "$", "abcd abcd", "abcd abcd"},
            new String[] {"repl", "(?i)A", "$10", "abc", "bc"},
            new String[] {"repl", "x?", "$10", "aabbcc", "aabbcc"},
            new String[] {"repl", "^", "$1x", "b\nb", "b\nb"},
            new String[] {"repl", "a*", "$", "a", "$"},
            new String[] {"repl", "$", "", "aabbcc", "aabbcc"},
            new String[] {"repl", "(a|ab)(c|bcd)", "${x}", "\u00e9\u00e9a", "\u00e9\u00e9a"},
            new String[] {"repl", "x?", "$1x", "abcd abcd", "abcd abcd"},
            new String[] {"repl", "(a|ab)(c|bcd)", "[$0]", "abcd abcd", "[abcd] [abcd]"},
            new String[] {"repl", "(a)(b)?", "-", "", ""},
            new String[] {"repl", "", "${1}", "aabbcc", "aabbcc"},
            new String[] {"repl", "(a|ab)(c|bcd)", "$10", "a", "a"},
            new String[] {"repl", "(a|ab)(c|bcd)", "-", "b\nb", "b\nb"},
            new String[] {"repl", "$", "${1}", "", ""},
            new String[] {"repl", "[a-c]+", "[$0]", "abc", "[abc]"},
            new String[] {"repl", "$", "-", "abc", "abc-"},
            new String[] {"repl", "(?m)^b", "$", "xax", "xax"},
            new String[] {"repl", "(a|ab)(c|bcd)", "${1}", "abcd abcd", "a a"},
            new String[] {"repl", "(?m)^b", "", "xax", "xax"},
            new String[] {"repl", "^", "${1}", "aabbcc", "aabbcc"},
            new String[] {"repl", "\u00e9+", "-", "xax", "xax"},
            new String[] {"repl", "[a-c]+", "$2$1", "abc", ""},
            new String[] {"repl", "a*", "$", "\u00e9\u00e9a", "$\u00e9$\u00e9$"},
            new String[] {"repl", "x?", "$1x", "xax", "a"},
            new String[] {"repl", "", "${1}", "b\nb", "b\nb"},
            new String[] {"repl", "(?m)^b", "$", "", ""},
            new String[] {"repl", "a*", "$", "aabbcc", "$b$b$c$c$"},
            new String[] {"repl", "$", "$1x", "b\nb", "b\nb"},
            new String[] {"repl", "\\b", "$10", "abc", "abc"},
            new String[] {"repl", "(a|ab)(c|bcd)", "-", "abcd abcd", "- -"},
            new String[] {"repl", "[a-c]+", "$$", "abcd abcd", "$d $d"},
            new String[] {"repl", "^", "-", "aabbcc", "-aabbcc"},
            new String[] {"repl", "x?", "${x", "\u00e9\u00e9a", "${x\u00e9${x\u00e9${xa${x"},
            new String[] {"repl", "x?", "$2$1", "xax", "a"},
            new String[] {"repl", "^", "${x", "xax", "${xxax"},
            new String[] {"repl", "(?P<x>\\w+)", "${x}", "aabbcc", "aabbcc"},
            new String[] {"repl", "$", "${1}0", "a", "a0"},
            new String[] {"repl", "(?P<x>\\w+)", "$", "aabbcc", "$"},
            new String[] {"repl", "^", "$1x", "", ""},
            new String[] {"repl", "\u00e9+", "", "", ""},
            new String[] {"repl", "(((a)))", "-", "", ""},
            new String[] {"repl", "x?", "", "aabbcc", "aabbcc"},
            new String[] {"repl", "\\b", "${x", "b\nb", "${xb${x\n${xb${x"},
            new String[] {"repl", "^", "-", "xax", "-xax"},
            new String[] {"repl", "\\d", "$", "b\nb", "b\nb"},
            new String[] {"repl", "$", "", "b\nb", "b\nb"},
            new String[] {"repl", "", "", "abcd abcd", "abcd abcd"},
            new String[] {"repl", "\\d", "${1}", "\u00e9\u00e9a", "\u00e9\u00e9a"},
            new String[] {"repl", "\\d", "", "a", "a"},
            new String[] {"repl", "a*", "-", "xax", "-x-x-"},
            new String[] {"repl", "x?", "$", "\u00e9\u00e9a", "$\u00e9$\u00e9$a$"},
            new String[] {"repl", "(?m)^b", "[$0]", "", ""},
            new String[] {"repl", "\u00e9+", "-", "a", "a"},
            new String[] {"repl", "(a)(b)?", "$", "\u00e9\u00e9a", "\u00e9\u00e9$"},
            new String[] {"repl", "^", "${1}0", "abc", "0abc"},
            new String[] {"repl", ".", "$x", "", ""},
            new String[] {"repl", "\\b", "$1", "xax", "xax"},
            new String[] {"repl", "(a|ab)(c|bcd)", "$2$1", "abc", "cab"},
            new String[] {"repl", "\\d", "${1}0", "abcd abcd", "abcd abcd"},
            new String[] {"repl", "\\b", "", "xax", "xax"},
            new String[] {"repl", "\\b", "$", "", ""},
            new String[] {"repl", "^", "$2$1", "xax", "xax"},
            new String[] {"repl", "(?P<x>\\w+)", "$", "xax", "$"},
            new String[] {"repl", "(?m)^b", "$", "b\nb", "$\n$"},
            new String[] {"repl", "(?i)A", "$2$1", "aabbcc", "bbcc"},
            new String[] {"repl", "(a|ab)(c|bcd)", "", "abc", ""},
            new String[] {"repl", "(?m)^b", "$1x", "\u00e9\u00e9a", "\u00e9\u00e9a"},
            new String[] {"repl", "", "$1x", "abcd abcd", "abcd abcd"},
            new String[] {"repl", "", "", "", ""},
            new String[] {"repl", "x?", "$2$1", "abcd abcd", "abcd abcd"},
            new String[] {"repl", "^", "", "aabbcc", "aabbcc"},
            new String[] {"repl", "$", "${1}", "aabbcc", "aabbcc"},
            new String[] {"repl", "(?m)^b", "$$", "abcd abcd", "abcd abcd"},
            new String[] {"repl", "(((a)))", "${x}", "aabbcc", "bbcc"},
            new String[] {"repl", "\\b", "${1}", "aabbcc", "aabbcc"},
            new String[] {"repl", "[a-c]+", "$1", "a", ""},
            new String[] {"repl", "\\d", "${x", "abc", "abc"},
            new String[] {"repl", "(((a)))", "${1}0", "", ""},
            new String[] {"repl", "(?P<x>\\w+)", "${1}", "abc", "abc"},
            new String[] {"repl", "", "-", "aabbcc", "-a-a-b-b-c-c-"},
            new String[] {"repl", "$", "$x", "a", "a"},
            new String[] {"repl", "\u00e9+", "[$0]", "xax", "xax"},
            new String[] {"repl", "(a|ab)(c|bcd)", "", "aabbcc", "aabbcc"},
            new String[] {"repl", "(?P<x>\\w+)", "$2$1", "abcd abcd", "abcd abcd"},
            new String[] {"repl", "x?", "$", "b\nb", "$b$\n$b$"},
            new String[] {"repl", "[a-c]+", "${x}", "aabbcc", ""},
            new String[] {"repl", "\\b", "$2$1", "abc", "abc"},
            new String[] {"repl", "\\b", "${1}", "b\nb", "b\nb"},
            new String[] {"repl", "\\d", "$", "aabbcc", "aabbcc"},
            new String[] {"repl", "(a)(b)?", "$x", "xax", "xx"},
            new String[] {"repl", "a*", "$10", "\u00e9\u00e9a", "\u00e9\u00e9"},
            new String[] {"repl", ".", "${1}0", "b\nb", "0\n0"},
            new String[] {"repl", "(?P<x>\\w+)", "-", "abcd abcd", "- -"},
            new String[] {"repl", "^", "$1x", "\u00e9\u00e9a", "\u00e9\u00e9a"},
            new String[] {"repl", "\\d", "$1x", "b\nb", "b\nb"},
            new String[] {"repl", "(((a)))", "$$", "", ""},
            new String[] {"repl", "(((a)))", "$$", "\u00e9\u00e9a", "\u00e9\u00e9$"},
            new String[] {"repl", "x?", "[$0]", "a", "[]a[]"},
            new String[] {"repl", "(?P<x>\\w+)", "$$", "xax", "$"},
            new String[] {"repl", "(((a)))", "${x", "", ""},
            new String[] {"dur", "999999999", "999.999999ms"},
            new String[] {"dur", "1500000000", "1.5s"},
            new String[] {"dur", "999", "999ns"},
            new String[] {"dur", "60000000000", "1m0s"},
            new String[] {"dur", "1000000000", "1s"},
            new String[] {"dur", "9223372036854775807", "2562047h47m16.854775807s"},
            new String[] {"dur", "1000000", "1ms"},
            new String[] {"dur", "1001", "1.001\u00b5s"},
            new String[] {"dur", "34560000000000000", "9600h0m0s"},
            new String[] {"dur", "-1500000000", "-1.5s"},
            new String[] {"dur", "1500000", "1.5ms"},
            new String[] {"dur", "999999", "999.999\u00b5s"},
            new String[] {"dur", "-9223372036854775808", "-2562047h47m16.854775808s"},
            new String[] {"dur", "1000", "1\u00b5s"},
            new String[] {"dur", "3661000000001", "1h1m1.000000001s"},
            new String[] {"dur", "3600000000000", "1h0m0s"},
            new String[] {"dur", "-1", "-1ns"},
            new String[] {"dur", "1", "1ns"},
            new String[] {"dur", "0", "0s"});

    private static String apply(String[] c) throws Exception {
        return switch (c[0]) {
            case "title" -> TitleCase.title(c[1]);
            case "upper" -> PromFuncs.mapCase(c[1], true);
            case "lower" -> PromFuncs.mapCase(c[1], false);
            case "ip" -> String.valueOf(GoNet.isIP(c[1]));
            case "split" -> {
                String[] hp = GoNet.splitHostPort(c[1]);
                yield hp == null ? "||true" : hp[0] + "|" + hp[1] + "|false";
            }
            case "repl" -> GoRegex.replaceAll(c[1], c[2], c[3]);
            case "dur" -> GoTimes.durationString(Long.parseLong(c[1]));
            default -> throw new IllegalArgumentException(c[0]);
        };
    }

    @TestFactory
    Stream<DynamicTest> matchesGo() {
        return VECTORS.stream().map(c -> DynamicTest.dynamicTest(String.join(" ", c),
                () -> assertEquals(c[c.length - 1], apply(c))));
    }

    @Test
    void titleCaseWordBreaks() {
        assertEquals("Aa Bb CC", TitleCase.title("aa bb CC"));
        // Digits join a word but are not cased; one apostrophe or period joins, two break; '-' breaks.
        assertEquals("1St O'neil A''B X.y Hello-World Foo_bar", TitleCase.title("1st o'neil a''b x.y hello-world foo_bar"));
        assertEquals("\u00c9lan Sstra\u00dfe \u01c5emal \u02bcN", TitleCase.title("\u00e9lan \u00dftra\u00dfe \u01c6emal \u0149"));
    }

    @Test
    void simpleCaseMappingLikeGo() {
        // Go maps rune by rune: no ß to SS, İ lowers to i.
        assertEquals("\u00df\u00c9", PromFuncs.mapCase("\u00df\u00e9", true));
        assertEquals("\u00e0ib", PromFuncs.mapCase("\u00c0\u0130B", false));
    }

    @Test
    void regexpReplacement() throws Exception {
        assertEquals("XbXcX", GoRegex.replaceAll("a*", "X", "baaac"));
        assertEquals("Smith, John ", GoRegex.replaceAll("(?P<first>\\w+) (?P<last>\\w+)", "${last}, ${first} $first_", "John Smith"));
        assertEquals("example at bob", GoRegex.replaceAll("(\\w+)@(\\w+)", "$2 at $1", "bob@example"));
        Func.CallError e = assertThrows(Func.CallError.class, () -> GoRegex.replaceAll("(", "", ""));
        assertEquals("regexp: Compile(`(`): error parsing regexp: missing closing ): `(`", e.getMessage());
        e = assertThrows(Func.CallError.class, () -> GoRegex.matchString("a**", ""));
        assertEquals("error parsing regexp: invalid nested repetition operator: `**`", e.getMessage());
    }

    @Test
    void prometheusDurations() throws Exception {
        assertEquals(5400.0, Humanize.parseDuration("1h30m"));
        assertEquals(-3720.01, Humanize.parseDuration("-1h2m10ms"));
        assertEquals(0.0, Humanize.parseDuration("0"));
        assertEquals(3.1536e7 + 7 * 86400 + 86400, Humanize.parseDuration("1y1w1d"));
        assertEquals("empty duration string", assertThrows(Func.CallError.class, () -> Humanize.parseDuration("")).getMessage());
        assertEquals("not a valid duration string: \"1m1h\"", assertThrows(Func.CallError.class, () -> Humanize.parseDuration("1m1h")).getMessage());
        assertEquals("unknown unit \"x\" in duration \"5x\"", assertThrows(Func.CallError.class, () -> Humanize.parseDuration("5x")).getMessage());
        assertEquals("unknown unit \".\" in duration \"1.5h\"", assertThrows(Func.CallError.class, () -> Humanize.parseDuration("1.5h")).getMessage());
        assertEquals("duration out of range", assertThrows(Func.CallError.class, () -> Humanize.parseDuration("300y")).getMessage());
    }

    @Test
    void goNumberSyntax() throws Exception {
        assertEquals(255L, GoStrconv.parseInt("0xff"));
        assertEquals(8L, GoStrconv.parseInt("010"));
        assertEquals(1000L, GoStrconv.parseInt("1_000"));
        assertEquals(null, GoStrconv.parseInt("1__0"));
        assertEquals(null, GoStrconv.parseUint("-1"));
        assertEquals(-1L, GoStrconv.parseUint("18446744073709551615"));
        assertEquals(0.5, GoStrconv.parseFloat("0x1p-1"));
        assertEquals(Double.POSITIVE_INFINITY, GoStrconv.parseFloat("+Inf"));
        assertEquals("strconv.ParseFloat: parsing \"1e400\": value out of range",
                assertThrows(GoStrconv.NumError.class, () -> GoStrconv.parseFloat("1e400")).getMessage());
        assertEquals("strconv.ParseFloat: parsing \"+nan\": invalid syntax",
                assertThrows(GoStrconv.NumError.class, () -> GoStrconv.parseFloat("+nan")).getMessage());
    }

    @Test
    void goQuoting() {
        assertEquals("\"a\\\"b\\n\\x00\u00e9\\u00a0\"", GoStrconv.quote("a\"b\n\u0000\u00e9\u00a0"));
        assertEquals("\"\\u00e9\\U0001f600\"", GoStrconv.quoteToASCII("\u00e9\ud83d\ude00"));
        assertEquals("a\u00e9\ud83d\ude00", GoStrconv.unquote("\"\\x61\\u00e9\\U0001F600\""));
        assertEquals(null, GoStrconv.unquote("\"\\q\""));
        assertEquals("raw\\n", GoStrconv.unquote("`raw\\n`"));
    }
}
