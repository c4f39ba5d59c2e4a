package io.netform.validate;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.diagnostics.Suggestions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks how containers use networks and each other's namespaces. */
final class ContainerRules {

  private ContainerRules() {}

  static void check(DesiredState state, Findings out) {
    boolean hasDefault = state.networks().values().stream().anyMatch(Network::isDefault);
    for (Container c : state.containers().values()) {
      String path = Paths.container(c.name());
      NetworkMode mode = c.mode();
      if (!(mode instanceof NetworkMode.Own) && !c.attachments().isEmpty()) {
        if (mode instanceof NetworkMode.None) {
          out.errorAt(path + "/network_mode", "none-with-networks",
              "container \"" + c.name() + "\" is in none mode and also lists networks (Docker: container cannot be "
                  + "connected to multiple networks with one of the networks in private (none) mode)",
              "remove network_mode: none, or remove its networks");
        } else {
          out.errorAt(path + "/network_mode", "mode-with-networks",
              "network_mode " + mode.text() + " cannot be combined with networks",
              "remove network_mode or the networks list");
        }
      }
      for (Attachment a : c.attachments()) {
        if (!state.networks().containsKey(a.network()) && !out.refused(Paths.network(a.network()))) {
          String hint = Suggestions.closest(a.network(), state.networks().keySet())
              .map(s -> "did you mean \"" + s + "\"?")
              .orElse("declare it under networks:, or fix the name");
          out.errorAtKey(Paths.attachment(c.name(), a.network()), "unknown-network",
              "container \"" + c.name() + "\" refers to unknown network \"" + a.network() + "\"", hint);
        }
      }
      if (mode instanceof NetworkMode.Own && c.attachments().isEmpty() && !hasDefault) {
        out.warningAt(path, "no-network", "container \"" + c.name() + "\" joins no network and no network is marked default",
            "list its networks, mark a network default: true, or write network_mode: none");
      }
      if (mode instanceof NetworkMode.JoinContainer j) {
        checkJoin(state, c, j, out);
      }
      Container holder = state.namespaceHolder(c);
      if (!c.ports().isEmpty() && (mode instanceof NetworkMode.None || mode instanceof NetworkMode.Host)) {
        out.warningAt(path + "/ports", "ports-ignored",
            "ports are not published in " + mode.text() + " mode", "remove the ports, or attach the container to a network");
      } else if (!c.ports().isEmpty() && (holder.mode() instanceof NetworkMode.None || holder.mode() instanceof NetworkMode.Host)) {
        out.warningAt(path + "/ports", "ports-ignored", "ports are not published: container \"" + c.name()
            + "\" shares the namespace of \"" + holder.name() + "\", which is in " + holder.mode().text() + " mode",
            "remove the ports, or attach \"" + holder.name() + "\" to a network");
      }
    }
    checkNamespaces(state, out);
  }

  /**
   * Adopted namespaces: named namespace files, each adopted by one container only on its host (in
   * a fleet, containers on two machines adopting one path adopt two namespaces).
   */
  private static void checkNamespaces(DesiredState state, Findings out) {
    Map<String, String> adopters = new HashMap<>();
    for (Container c : state.containers().values()) {
      if (c.namespacePath().isEmpty()) {
        continue;
      }
      String file = c.namespacePath().get();
      String path = Paths.container(c.name()) + "/namespace";
      Optional<ValueProblem> problem = NamespacePaths.problem(file);
      if (problem.isPresent()) {
        out.errorAt(path, problem.get());
        continue;
      }
      String machine = state.machineOf(c);
      String other = adopters.putIfAbsent(machine + " " + file, c.name());
      if (other != null) {
        out.errorAt(path, "shared-namespace", "containers \"" + other + "\" and \"" + c.name()
            + "\" both adopt the namespace " + file + (machine.isEmpty() ? "" : " on host \"" + machine + "\"") + " (at " + out.where(Paths.container(other) + "/namespace") + ")",
            "give each container its own namespace; to share one, write network_mode: container:" + other);
      }
    }
  }

  private static void checkJoin(DesiredState state, Container c, NetworkMode.JoinContainer j, Findings out) {
    String path = Paths.container(c.name()) + "/network_mode";
    if (!state.containers().containsKey(j.container())) {
      if (out.refused(Paths.container(j.container()))) {
        return;
      }
      String hint = Suggestions.closest(j.container(), state.containers().keySet())
          .map(s -> "did you mean container:" + s + "?").orElse("name a container declared under containers:");
      out.errorAt(path, "unknown-container", "network_mode refers to unknown container \"" + j.container() + "\"", hint);
      return;
    }
    List<String> joins = new ArrayList<>(); // in the order of the joins, which the message shows
    String current = c.name();
    while (state.containers().get(current) != null
        && state.containers().get(current).mode() instanceof NetworkMode.JoinContainer next) {
      boolean again = joins.contains(current);
      joins.add(current);
      if (again) {
        out.errorAt(path, "join-cycle", "container \"" + c.name() + "\" joins a cycle of containers ("
            + String.join(" -> ", joins) + ")", "let one container of the cycle have its own network namespace");
        return;
      }
      current = next.container();
    }
  }
}
