package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.Diagnostic;
import org.junit.jupiter.api.Test;

/**
 * A network, container or host that is written but refused where it is (a wrong type, an address
 * that is none) gets that one error: what refers to it is not called "unknown" as well, which it
 * is not, nor told to pick another name.
 */
class RefusedReferencesTest {

  @Test
  void aRefusedNetworkIsNotAlsoUnknown() {
    Validated.onlyError("""
        version: 1
        networks:
          n1: 5
          n2: {}
        containers:
          c1: {networks: [n1]}
        """, "schema-type");
  }

  @Test
  void aRefusedHostIsNotAlsoUndeclared() {
    Validated.onlyError("""
        version: 1
        hosts:
          docker2: {address: nonsense}
          docker3: {address: 192.0.2.3}
        networks:
          ov: {driver: overlay}
        containers:
          web: {host: docker2, networks: [ov]}
        """, "bad-address");
  }

  @Test
  void aRefusedContainerIsNotAlsoUnknownToWhatRefersToIt() {
    Validated.onlyError("""
        version: 1
        networks:
          n: {}
        containers:
          a: 5
          b: {network_mode: "container:a"}
          c: {networks: [n], links: ["a:db"]}
          d: {networks: [n]}
        expect:
          - {from: a, to: d, port: 80, reachable: true}
          - {from: d, to: a, port: 80, reachable: true}
        """, "schema-type");
  }

  @Test
  void aNameNeverWrittenIsStillUnknown() {
    Diagnostic d = Validated.onlyError("""
        version: 1
        networks:
          n1: {}
        containers:
          c1: {networks: [n2]}
        """, "unknown-network");
    assertTrue(d.message().contains("unknown network \"n2\""), d.message());
  }
}
