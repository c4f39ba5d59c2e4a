package io.netform.desired.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DynamicPort;
import io.netform.desired.Protocol;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PortSyntaxTest {

  @Test
  void hostAndContainerPort() {
    var r = PortSyntax.parse("8080:80");
    assertEquals(1, r.mappings().size());
    assertEquals("8080:80/tcp", r.mappings().get(0).toString());
  }

  @Test
  void hostAddressAndProtocol() {
    var m = PortSyntax.parse("127.0.0.1:5353:53/udp").mappings().get(0);
    assertEquals("127.0.0.1", m.hostIp().orElseThrow().toString());
    assertEquals(Protocol.UDP, m.protocol());
    assertEquals(5353, m.hostPort());
    assertEquals(53, m.containerPort());
  }

  @Test
  void ipv6HostAddressInBrackets() {
    assertEquals("::1", PortSyntax.parse("[::1]:80:80").mappings().get(0).hostIp().orElseThrow().toString());
  }

  @Test
  void rangesExpand() {
    var r = PortSyntax.parse("8000-8002:80-82");
    assertEquals(3, r.mappings().size());
    assertEquals(8002, r.mappings().get(2).hostPort());
    assertEquals(82, r.mappings().get(2).containerPort());
  }

  @Test
  void errorsExplainThemselves() {
    assertFalse(PortSyntax.parse("70000:80").ok());
    assertFalse(PortSyntax.parse("80:80/icmp").ok());
    assertFalse(PortSyntax.parse("8000-8001:80-82").ok());
    assertFalse(PortSyntax.parse("8000:80-81").ok());
    assertFalse(PortSyntax.parse("x:80:80").ok());
    assertEquals("the host port before ':' is empty", PortSyntax.parse(":80").problem());
  }

  @Test
  void withoutAHostPortNetformChoosesOneFromDockersEphemeralRange() {
    var r = PortSyntax.parse("80");
    assertTrue(r.mappings().isEmpty());
    assertEquals(List.of(DynamicPort.ephemeral(Optional.empty(), 80, Protocol.TCP)), r.dynamic());
    assertEquals(32768, r.dynamic().get(0).firstHostPort());
    assertEquals(60999, r.dynamic().get(0).lastHostPort());
    assertEquals(List.of("53/udp", "54/udp"), PortSyntax.parse("53-54/udp").dynamic().stream().map(Object::toString).toList());
    assertEquals("127.0.0.1::80/tcp", PortSyntax.parse("127.0.0.1::80").dynamic().get(0).toString());
    assertEquals("[::1]::80/tcp", PortSyntax.parse("[::1]::80").dynamic().get(0).toString());
  }

  @Test
  void aHostRangeForOneContainerPortMeansOnePortOfTheRange() {
    var r = PortSyntax.parse("8000-8010:80");
    assertTrue(r.mappings().isEmpty());
    assertEquals(List.of(new DynamicPort(Optional.empty(), 8000, 8010, 80, Protocol.TCP)), r.dynamic());
    assertEquals("8000-8010:80/tcp", r.dynamic().get(0).toString());
  }

  @Test
  void aMappingPublishesAtMostTheLimitAndBeyondItTheErrorSaysHowMany() {
    assertEquals(1_000, PortSyntax.parse("20000-20999:20000-20999/udp").mappings().size());
    var r = PortSyntax.parse("1-65535:1-65535");
    assertFalse(r.ok());
    assertTrue(r.mappings().isEmpty(), "nothing expanded");
    assertEquals("the range publishes 65,535 ports; one mapping may publish at most 1,000", r.problem());
    assertTrue(r.hint().contains("network_mode: host"), r.hint());
    assertFalse(PortSyntax.parse("20000-21000:20000-21000").ok(), "1,001 ports");
  }
}
