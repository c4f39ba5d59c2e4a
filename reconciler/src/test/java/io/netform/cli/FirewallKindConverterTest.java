package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.firewall.FirewallKind;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class FirewallKindConverterTest {

  @Test
  void aWrongValueFromTheEnvironmentSaysItCameFromThere() {
    var converter = new FirewallKindConverter(Map.of(FirewallKind.ENVIRONMENT, "garbage")::get);
    String fromEnvironment = assertThrows(TypeConversionException.class, () -> converter.convert("garbage")).getMessage();
    assertTrue(fromEnvironment.contains("from the environment variable NETFORM_FIREWALL_BACKEND"), fromEnvironment);
    String typed = assertThrows(TypeConversionException.class, () -> converter.convert("x")).getMessage();
    assertFalse(typed.contains("environment"), "a value typed on the command line is not blamed on the environment: " + typed);
    assertEquals(FirewallKind.NFTABLES, converter.convert("nftables"));
  }
}
