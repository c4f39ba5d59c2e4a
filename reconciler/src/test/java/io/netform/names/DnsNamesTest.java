package io.netform.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DnsNamesTest {

  @Test
  void labelsOfLettersDigitsHyphensAndUnderscores() {
    for (String ok : new String[] {"web", "web-1", "project_web_1", "api.shop.example", "a", "x".repeat(63)}) {
      assertTrue(DnsNames.valid(ok), ok);
    }
    for (String bad : new String[] {"", "-web", "web-", "a..b", "web.", ".web", "my db", "db:1", "x".repeat(64),
        ("a".repeat(60) + ".").repeat(5)}) {
      assertFalse(DnsNames.valid(bad), bad);
    }
  }

  @Test
  void namesCompareWithoutCaseOrTheRootDot() {
    assertEquals("web.example", DnsNames.normal("Web.Example."));
  }
}
