package io.netform.validate;

import static io.netform.validate.Validated.assertValid;
import static io.netform.validate.Validated.onlyError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Subnets and host addresses in special-purpose blocks are refused before anything is applied. */
class ReservedRangesTest {

  private static String network(String subnet) {
    return "networks:\n  n:\n    ipam:\n      config:\n        - subnet: \"" + subnet + "\"\n";
  }

  @ParameterizedTest
  @CsvSource({
      "0.0.0.0/24, 0.0.0.0/8, this network",
      "127.1.0.0/16, 127.0.0.0/8, the loopback range: the kernel routes it to lo",
      "169.254.10.0/24, 169.254.0.0/16, link-local",
      "224.1.2.0/24, 224.0.0.0/4, multicast",
      "255.255.255.0/24, 240.0.0.0/4, 255.255.255.255",
      "::/128, ::/128, unspecified",
      "::1/128, ::1/128, loopback",
      "ff05::/64, ff00::/8, multicast",
      "fe80::/64, fe80::/10, link-local",
      "::ffff:a00:0/120, ::ffff:0:0/96, IPv4-mapped"})
  void aSubnetInASpecialBlockIsRefusedWithTheBlockAndWhy(String subnet, String block, String why) {
    Diagnostic d = onlyError(network(subnet), "reserved-range");
    assertTrue(d.message().contains(" lies in " + block + ", ") && d.message().contains(why), d.message());
    assertEquals(5, d.location().line());
    assertEquals(19, d.location().column());
  }

  @ParameterizedTest
  @ValueSource(strings = {"126.0.0.0/7", "0.0.0.0/0", "160.0.0.0/3", "::/64", "fe00::/7"})
  void aSubnetThatMerelyOverlapsASpecialBlockIsRefused(String subnet) {
    Diagnostic d = onlyError(network(subnet), "reserved-range");
    assertTrue(d.message().startsWith("subnet " + subnet + " overlaps "), d.message());
  }

  @Test
  void theHintOffersPrivateRangesOfTheSameFamily() {
    assertTrue(onlyError(network("127.0.0.0/24"), "reserved-range").hint().contains("192.168.0.0/16"));
    assertTrue(onlyError(network("fe80::/64"), "reserved-range").hint().contains("fd00::/8"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/24", "100.64.0.0/10", "126.0.0.0/8",
      "128.0.0.0/16", "169.253.0.0/16", "223.255.255.0/24", "fd00:1::/64", "2001:db8::/64", "fec0::/64", "::2/127"})
  void subnetsNextToTheBlocksAreFine(String subnet) {
    assertValid(network(subnet));
  }

  @Test
  void aStaticAddressInAReservedSubnetIsReportedOnceAtTheSubnet() {
    String yaml = network("127.0.0.0/24") + "containers:\n  c:\n    networks:\n      n: {ipv4_address: 127.0.0.5}\n";
    assertEquals(5, onlyError(yaml, "reserved-range").location().line());
  }

  @ParameterizedTest
  @ValueSource(strings = {"224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "0.1.2.3"})
  void aHostBindingNoHostCanHaveIsRefused(String address) {
    Diagnostic d = onlyError("networks:\n  n:\n    host_binding_ipv4: " + address + "\n", "reserved-range");
    assertTrue(d.message().startsWith("host_binding_ipv4 " + address + " is in "), d.message());
    assertEquals(3, d.location().line());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "169.254.1.1", "192.0.2.10"})
  void aHostBindingToEveryAddressLoopbackOrAnyUnicastAddressIsFine(String address) {
    assertValid("networks:\n  n:\n    host_binding_ipv4: " + address + "\n");
  }

  @Test
  void aPublishedPortOnAMulticastAddressIsRefusedOncePerMapping() {
    String yaml = "networks:\n  n: {}\ncontainers:\n  c:\n    networks: [n]\n    ports:\n"
        + "      - \"224.0.0.1:8000-8099:80-179\"\n      - \"[ff02::1]:9000:90\"\n      - \"127.0.0.1:8080:80\"\n";
    var errors = Validated.errors(Validated.of(yaml));
    assertEquals(2, errors.size(), errors::toString);
    assertEquals(7, errors.get(0).location().line());
    assertTrue(errors.get(0).message().startsWith("host address 224.0.0.1 is in 224.0.0.0/4, the multicast range"));
    assertEquals(8, errors.get(1).location().line());
    assertTrue(errors.get(1).message().startsWith("host address ff02::1 is in ff00::/8"), errors.get(1).message());
  }
}
