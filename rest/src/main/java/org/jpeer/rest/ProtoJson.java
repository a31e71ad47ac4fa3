package org.jpeer.rest;

import java.util.Base64;
import java.util.List;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MessageOrBuilder;

/**
 * Renders protobuf messages as the original did: Go's {@code encoding/json} over the generated
 * structs. Keys are the proto field names in field order, default values are omitted (a set but
 * empty message is {@code {}}), bytes are standard base64 with padding, enums and 64-bit integers
 * are numbers, Timestamps are {@code {"seconds":..,"nanos":..}}. JsonFormat differs on every one
 * of these points, hence this class.
 */
final class ProtoJson {
  private ProtoJson() {}

  static String render(MessageOrBuilder message) {
    StringBuilder out = new StringBuilder(256);
    message(out, message);
    return out.toString();
  }

  static void message(StringBuilder out, MessageOrBuilder message) {
    out.append('{');
    boolean first = true;
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      boolean present = field.isRepeated() ? message.getRepeatedFieldCount(field) > 0 : message.hasField(field);
      if (!present) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      GoJson.string(out, field.getName()).append(':');
      if (field.isRepeated()) {
        out.append('[');
        List<?> values = (List<?>) message.getField(field);
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          value(out, field, values.get(i));
        }
        out.append(']');
      } else {
        value(out, field, message.getField(field));
      }
    }
    out.append('}');
  }

  private static void value(StringBuilder out, FieldDescriptor field, Object value) {
    switch (field.getType()) {
      case MESSAGE, GROUP -> message(out, (MessageOrBuilder) value);
      case STRING -> GoJson.string(out, (String) value);
      case BYTES -> out.append('"').append(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray())).append('"');
      case ENUM -> out.append(((EnumValueDescriptor) value).getNumber());
      case UINT32, FIXED32 -> out.append(Integer.toUnsignedString((Integer) value));
      case UINT64, FIXED64 -> out.append(Long.toUnsignedString((Long) value));
      default -> out.append(value);
    }
  }
}
