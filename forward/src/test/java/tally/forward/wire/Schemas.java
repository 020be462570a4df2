package tally.forward.wire;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;

/**
 * The remote-write messages as protobuf-java descriptors, built from the field numbers of prompb/types.proto,
 * prompb/remote.proto and prompb/io/prometheus/write/v2/types.proto (prometheus/prometheus), so the tests decode the
 * hand-written encoders' output with protobuf-java's own parser.
 */
final class Schemas {
    static final Descriptor V1_WRITE_REQUEST;
    static final Descriptor V2_REQUEST;

    private static final String[] V1_TYPES = {"UNKNOWN", "COUNTER", "GAUGE", "HISTOGRAM", "GAUGEHISTOGRAM", "SUMMARY", "INFO", "STATESET"};

    static {
        try {
            FileDescriptorProto v1 = FileDescriptorProto.newBuilder().setName("prompb.proto").setPackage("prometheus").setSyntax("proto3")
                    .addMessageType(message("Label", field("name", 1, Type.TYPE_STRING, false), field("value", 2, Type.TYPE_STRING, false)))
                    .addMessageType(message("Sample", field("value", 1, Type.TYPE_DOUBLE, false), field("timestamp", 2, Type.TYPE_INT64, false)))
                    .addMessageType(message("TimeSeries", msgField("labels", 1, ".prometheus.Label", true),
                            msgField("samples", 2, ".prometheus.Sample", true)))
                    .addMessageType(message("MetricMetadata", enumField("type", 1, ".prometheus.MetricMetadata.MetricType"),
                            field("metric_family_name", 2, Type.TYPE_STRING, false), field("help", 4, Type.TYPE_STRING, false),
                            field("unit", 5, Type.TYPE_STRING, false)).toBuilder().addEnumType(enumType("MetricType", V1_TYPES)).build())
                    .addMessageType(message("WriteRequest", msgField("timeseries", 1, ".prometheus.TimeSeries", true),
                            msgField("metadata", 3, ".prometheus.MetricMetadata", true)))
                    .build();
            String[] v2Types = new String[V1_TYPES.length];
            for (int i = 0; i < v2Types.length; i++) v2Types[i] = "METRIC_TYPE_" + (i == 0 ? "UNSPECIFIED" : V1_TYPES[i]);
            String p = ".io.prometheus.write.v2.";
            FileDescriptorProto v2 = FileDescriptorProto.newBuilder().setName("v2.proto").setPackage("io.prometheus.write.v2").setSyntax("proto3")
                    .addMessageType(message("Sample", field("value", 1, Type.TYPE_DOUBLE, false), field("timestamp", 2, Type.TYPE_INT64, false),
                            field("start_timestamp", 3, Type.TYPE_INT64, false)))
                    .addMessageType(message("Metadata", enumField("type", 1, p + "Metadata.MetricType"), field("help_ref", 3, Type.TYPE_UINT32, false),
                            field("unit_ref", 4, Type.TYPE_UINT32, false)).toBuilder().addEnumType(enumType("MetricType", v2Types)).build())
                    .addMessageType(message("TimeSeries", field("labels_refs", 1, Type.TYPE_UINT32, true), msgField("samples", 2, p + "Sample", true),
                            msgField("metadata", 5, p + "Metadata", false)))
                    .addMessageType(message("Request", field("symbols", 4, Type.TYPE_STRING, true), msgField("timeseries", 5, p + "TimeSeries", true)))
                    .build();
            V1_WRITE_REQUEST = Descriptors.FileDescriptor.buildFrom(v1, new Descriptors.FileDescriptor[0]).findMessageTypeByName("WriteRequest");
            V2_REQUEST = Descriptors.FileDescriptor.buildFrom(v2, new Descriptors.FileDescriptor[0]).findMessageTypeByName("Request");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Schemas() {}

    static DynamicMessage parseV1(byte[] b) throws Exception {
        return DynamicMessage.parseFrom(V1_WRITE_REQUEST, b);
    }

    static DynamicMessage parseV2(byte[] b) throws Exception {
        return DynamicMessage.parseFrom(V2_REQUEST, b);
    }

    private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
        DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto f : fields) b.addField(f);
        return b.build();
    }

    private static FieldDescriptorProto field(String name, int number, Type type, boolean repeated) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(repeated ? Label.LABEL_REPEATED : Label.LABEL_OPTIONAL).build();
    }

    private static FieldDescriptorProto msgField(String name, int number, String typeName, boolean repeated) {
        return field(name, number, Type.TYPE_MESSAGE, repeated).toBuilder().setTypeName(typeName).build();
    }

    private static FieldDescriptorProto enumField(String name, int number, String typeName) {
        return field(name, number, Type.TYPE_ENUM, false).toBuilder().setTypeName(typeName).build();
    }

    private static EnumDescriptorProto enumType(String name, String[] values) {
        EnumDescriptorProto.Builder b = EnumDescriptorProto.newBuilder().setName(name);
        for (int i = 0; i < values.length; i++) b.addValue(EnumValueDescriptorProto.newBuilder().setName(values[i]).setNumber(i));
        return b.build();
    }
}
