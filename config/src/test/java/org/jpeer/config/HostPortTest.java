package org.jpeer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void parsesTheFormsCoreYamlUses() {
    assertThat(HostPort.parse("0.0.0.0:7051")).isEqualTo(new HostPort("0.0.0.0", 7051));
    assertThat(HostPort.parse(":7050")).isEqualTo(new HostPort("0.0.0.0", 7050));
    assertThat(HostPort.parse("[::1]:0")).isEqualTo(new HostPort("::1", 0));
    assertThat(HostPort.parse("localhost:7054").toString()).isEqualTo("localhost:7054");
    assertThat(new HostPort("::1", 5).toString()).isEqualTo("[::1]:5");
  }

  @Test
  void wildcardDialsLoopback() {
    assertThat(HostPort.parse("0.0.0.0:7051").dialable()).isEqualTo(new HostPort("127.0.0.1", 7051));
    assertThat(HostPort.parse("10.0.0.1:7051").dialable()).isEqualTo(new HostPort("10.0.0.1", 7051));
  }

  @Test
  void refusesBadPorts() {
    assertThatThrownBy(() -> HostPort.parse("host:99999")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> HostPort.parse("host:-1")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> HostPort.parse("host")).hasMessageContaining("missing ':port'");
    assertThatThrownBy(() -> HostPort.parse("::1:80")).hasMessageContaining("brackets");
  }
}
