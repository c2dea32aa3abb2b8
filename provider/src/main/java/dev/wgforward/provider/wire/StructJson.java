package dev.wgforward.provider.wire;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.Map;

/**
 * Lossless conversion between the engine's {@code google.protobuf.Struct} and a gson tree. The
 * engine's special values (secrets, unknowns, resource references) are themselves plain JSON
 * (objects with a signature key, sentinel strings), so they survive unchanged; {@link Values}
 * interprets them.
 */
public final class StructJson {
    private StructJson() {}

    public static JsonObject toJson(Struct struct) {
        JsonObject object = new JsonObject();
        for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
            object.add(field.getKey(), toJson(field.getValue()));
        }
        return object;
    }

    public static JsonElement toJson(Value value) {
        switch (value.getKindCase()) {
            case NULL_VALUE:
            case KIND_NOT_SET:
                return JsonNull.INSTANCE;
            case BOOL_VALUE:
                return new JsonPrimitive(value.getBoolValue());
            case NUMBER_VALUE:
                return number(value.getNumberValue());
            case STRING_VALUE:
                return new JsonPrimitive(value.getStringValue());
            case LIST_VALUE:
                JsonArray array = new JsonArray();
                value.getListValue().getValuesList().forEach(v -> array.add(toJson(v)));
                return array;
            case STRUCT_VALUE:
                return toJson(value.getStructValue());
            default:
                throw new IllegalArgumentException("unsupported protobuf value " + value.getKindCase());
        }
    }

    /** Whole numbers stay integral so that typed records (int ports) read them back exactly. */
    private static JsonPrimitive number(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1L << 53) {
            return new JsonPrimitive((long) d);
        }
        return new JsonPrimitive(d);
    }

    public static Struct toStruct(JsonObject object) {
        Struct.Builder struct = Struct.newBuilder();
        for (Map.Entry<String, JsonElement> field : object.entrySet()) {
            struct.putFields(field.getKey(), toValue(field.getValue()));
        }
        return struct.build();
    }

    public static Value toValue(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (element.isJsonObject()) {
            return Value.newBuilder().setStructValue(toStruct(element.getAsJsonObject())).build();
        }
        if (element.isJsonArray()) {
            ListValue.Builder list = ListValue.newBuilder();
            element.getAsJsonArray().forEach(e -> list.addValues(toValue(e)));
            return Value.newBuilder().setListValue(list).build();
        }
        JsonPrimitive p = element.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return Value.newBuilder().setBoolValue(p.getAsBoolean()).build();
        }
        if (p.isNumber()) {
            return Value.newBuilder().setNumberValue(p.getAsDouble()).build();
        }
        return Value.newBuilder().setStringValue(p.getAsString()).build();
    }
}
