package io.netform.validate;

import io.netform.desired.DesiredState;
import io.netform.diagnostics.Diagnostic;
import java.util.List;

/** Meaning-level checks over the merged desired state (syntax and schema were checked per file). */
public final class Validator {

  private Validator() {}

  public static List<Diagnostic> check(DesiredState state) {
    Findings out = new Findings(state.sources());
    NetworkRules.check(state, out);
    ContainerRules.check(state, out);
    FleetRules.check(state, out);
    NameRules.check(state, out);
    AddressRules.check(state, out);
    PortRules.check(state, out);
    PortRules.checkHostAddresses(state, out);
    PortRules.warnInternal(state, out);
    IgnoredSettings.check(state, out);
    ExpectationRules.check(state, out);
    return out.list();
  }
}
