package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connectivity assertions name declared containers, located where they are written. */
class ExpectationRulesTest {

  private static final String STATE = """
      networks: {front: {}}
      containers:
        web: {networks: [front]}
        db: {networks: [front]}
      expect:
      """;

  @Test
  void assertionsBetweenDeclaredContainersAndAddressesAreValid() {
    var checked = Validated.of(STATE + "  - {from: web, to: db, port: 5432}\n  - {from: db, to: \"2001:db8::1\", port: 443, "
        + "reachable: false}\n");
    assertTrue(checked.passes(true), checked.diagnostics()::toString);
    assertEquals(2, checked.state().expectations().size());
    assertEquals(false, checked.state().expectations().get(1).reachable());
  }

  @Test
  void anUnknownContainerIsLocatedWithAGuess() {
    List<Diagnostic> errors = Validated.errors(Validated.of(STATE + "  - {from: wbe, to: dbb, port: 5432}\n"));
    assertEquals(2, errors.size(), errors::toString);
    assertEquals(6, errors.get(0).location().line());
    assertEquals(12, errors.get(0).location().column(), errors::toString);
    assertTrue(errors.get(0).hint().contains("did you mean \"web\""), errors::toString);
    assertTrue(errors.get(1).message().contains("neither a declared container nor an IP address"), errors::toString);
  }

  @Test
  void aWronglyTypedTargetIsTheSchemasErrorAlone() {
    Diagnostic d = Validated.onlyError(STATE + "  - {from: web, to: 5, port: 80}\n", "schema-type");
    assertEquals(6, d.location().line());
  }

  @Test
  void aPortOutsideTcpsIsASchemaError() {
    Diagnostic d = Validated.onlyError(STATE + "  - {from: web, to: db, port: 0}\n", "schema-range");
    assertEquals(6, d.location().line());
  }

  @Test
  void twoEntriesForOnePathMayNotWantOpposites() {
    Diagnostic d = Validated.onlyError(STATE + "  - {from: web, to: db, port: 80}\n  - {from: web, to: db, port: 80, "
        + "reachable: false}\n", "contradicting-expectations");
    assertEquals(7, d.location().line(), d::toString);
    var repeated = Validated.of(STATE + "  - {from: web, to: db, port: 80}\n  - {from: web, to: db, port: 80}\n");
    assertTrue(repeated.valid() && repeated.diagnostics().stream().anyMatch(w -> w.code().equals("duplicate-expectation")),
        repeated.diagnostics()::toString);
  }

  @Test
  void aContainerWithoutAnAddressOfItsOwnIsNoTarget() {
    Diagnostic d = Validated.onlyError("""
        networks: {front: {}}
        containers:
          web: {networks: [front]}
          proxy: {network_mode: host}
        expect:
          - {from: web, to: proxy, port: 80}
        """, "target-without-address");
    assertTrue(d.hint().contains("host's address"), d::toString);
  }
}
