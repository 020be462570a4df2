package tally.server.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OTLP/JSON input that protobuf's JsonFormat must not see. */
class OtlpJsonTest {
    private static byte[] point(String field, String value) {
        return ("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"m\",\"gauge\":{\"dataPoints\":[{\"" + field + "\":" + value
                + "}]}}]}]}]}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Found by fuzzing OTLP/HTTP (a 5 s case): protobuf's JsonFormat spent 110 s on "1e99999999" in a uint64 field and
     * 17 s on a million-digit number before refusing them. They are refused before it sees them now.
     */
    @Test
    void numbersTooLongOrWithHugeExponentsAreRefusedBeforeJsonFormat() {
        for (String v : new String[] {"\"1e99999999\"", "1e99999999", "\"" + "9".repeat(1_000_000) + "\"", "-1E+123456", "1.5e-99999"}) {
            InvalidProtocolBufferException e = assertThrows(InvalidProtocolBufferException.class, () -> OtlpJson.parse(point("timeUnixNano", v)));
            assertTrue(e.getMessage().startsWith("number "), e.getMessage());
        }
    }

    @Test
    void ordinaryNumbersAndNumericStringsStillParse() throws Exception {
        OtlpJson.parse(point("asDouble", "1.7976931348623157E308"));
        OtlpJson.parse(point("asDouble", "\"-4.9e-324\""));
        OtlpJson.parse(point("timeUnixNano", "\"1795294800000000000\""));
        byte[] attribute = ("{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"id\",\"value\":{\"stringValue\":\"v1e99999999x\"}}]}}]}")
                .getBytes(StandardCharsets.UTF_8);
        OtlpJson.parse(attribute); // not a number token: a string that only contains one
    }
}
