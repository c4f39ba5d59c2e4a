package io.netform.validate;

import static io.netform.validate.Validated.assertValid;
import static io.netform.validate.Validated.onlyError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.Diagnostic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** MAC addresses the kernel refuses for an interface are refused by validate, once. */
class MacAddressesTest {

  private static String attached(String mac) {
    return "networks:\n  n: {}\ncontainers:\n  c:\n    networks:\n      n: {mac_address: \"" + mac + "\"}\n";
  }

  @ParameterizedTest
  @CsvSource({
      "01:00:5e:00:00:01, 01:00:5e:00:00:01 is a multicast address",
      "33:33:00:00:00:01, 33:33:00:00:00:01 is a multicast address",
      "0F:AB:CD:EF:01:23, 0f:ab:cd:ef:01:23 is a multicast address",
      "ff:ff:ff:ff:ff:ff, the broadcast address",
      "00:00:00:00:00:00, 00:00:00:00:00:00 is all zeros"})
  void anUnusableMacIsRefusedOnce(String mac, String fragment) {
    Diagnostic d = onlyError(attached(mac), "unusable-mac");
    assertTrue(d.message().contains(fragment) && d.message().endsWith("the kernel refuses it for an interface"),
        d.message());
    assertEquals(6, d.location().line());
    assertEquals(24, d.location().column());
  }

  @ParameterizedTest
  @ValueSource(strings = {"02:42:0a:0f:14:0a", "00:00:00:00:00:01", "FE:FF:FF:FF:FF:FF", "00:11:22:33:44:55"})
  void unicastMacsAreFine(String mac) {
    assertValid(attached(mac));
  }
}
