package io.netform.plan;

import io.netform.model.KernelObject;

/** One primitive operation for an executor, in the order the plan must run them. */
public record Step(Kind kind, KernelObject object, java.util.Optional<KernelObject> before) {

  public enum Kind { CREATE, UPDATE, DELETE }
}
