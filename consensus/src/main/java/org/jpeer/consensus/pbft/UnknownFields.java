package org.jpeer.consensus.pbft;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import java.util.List;
import java.util.Map;

/**
 * Drops unknown protobuf fields, at any depth, as Fabric's 2016 Go runtime did on parse. Batch
 * digests are taken over what we re-serialize, so a field a sender added must not reach them (it
 * would make our digest differ from a Go replica's).
 */
final class UnknownFields {
  private UnknownFields() {}

  @SuppressWarnings("unchecked")
  static <M extends Message> M strip(M message) {
    return hasAny(message) ? (M) clean(message) : message;
  }

  private static boolean hasAny(Message m) {
    if (!m.getUnknownFields().asMap().isEmpty()) {
      return true;
    }
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      if (e.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (e.getKey().isRepeated()) {
        for (Object o : (List<?>) e.getValue()) {
          if (hasAny((Message) o)) {
            return true;
          }
        }
      } else if (hasAny((Message) e.getValue())) {
        return true;
      }
    }
    return false;
  }

  private static Message clean(Message m) {
    Message.Builder b = m.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance());
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor field = e.getKey();
      if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.isRepeated()) {
        b.clearField(field);
        for (Object o : (List<?>) e.getValue()) {
          b.addRepeatedField(field, clean((Message) o));
        }
      } else {
        b.setField(field, clean((Message) e.getValue()));
      }
    }
    return b.build();
  }
}
