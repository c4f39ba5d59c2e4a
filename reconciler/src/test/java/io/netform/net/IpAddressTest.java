package io.netform.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

  @Test
  void parsesAndFormatsIpv4() {
    IpAddress ip = IpAddress.parse("10.15.20.4");
    assertTrue(ip.isV4());
    assertEquals("10.15.20.4", ip.toString());
    assertEquals(IpAddress.v4(10, 15, 20, 4), ip);
  }

  @Test
  void formatsIpv6Canonically() {
    assertEquals("fd00::1", IpAddress.parse("fd00:0:0:0:0:0:0:1").toString());
    assertEquals("2001:db8::1:0:0:1", IpAddress.parse("2001:db8:0:0:1:0:0:1").toString());
    assertEquals("::", IpAddress.parse("::").toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.15.20.300", "10.15.20", "10.015.20.1", "1.2.3.4.5", "", "abc", "1:2:3", "1::2::3", "12345::"})
  void rejectsMalformedText(String text) {
    assertFalse(IpAddress.tryParse(text).isPresent(), text);
  }

  @Test
  void bytesRoundTrip() {
    IpAddress v6 = IpAddress.parse("fd00:10::abcd");
    assertEquals(v6, IpAddress.fromBytes(v6.toBytes()));
    assertEquals(IpAddress.parse("172.17.0.2"), IpAddress.fromBytes(new byte[] {(byte) 172, 17, 0, 2}));
  }

  @Property
  void textRoundTripsForEveryIpv4(@ForAll("ipv4") IpAddress ip) {
    assertEquals(ip, IpAddress.parse(ip.toString()));
  }

  @Property
  void textRoundTripsForEveryIpv6(@ForAll("ipv6") IpAddress ip) {
    assertEquals(ip, IpAddress.parse(ip.toString()));
  }

  @Provide
  Arbitrary<IpAddress> ipv4() {
    return Arbitraries.longs().between(0, 0xffffffffL).map(IpAddress::v4);
  }

  @Provide
  Arbitrary<IpAddress> ipv6() {
    // Sparse groups exercise the zero-run compression.
    Arbitrary<Long> half = Arbitraries.longs().edgeCases(c -> c.add(0L)).injectDuplicates(0.3)
        .map(l -> l % 3 == 0 ? 0L : l);
    return net.jqwik.api.Combinators.combine(half, half).as((hi, lo) -> new IpAddress(IpAddress.Family.V6, hi, lo));
  }
}
