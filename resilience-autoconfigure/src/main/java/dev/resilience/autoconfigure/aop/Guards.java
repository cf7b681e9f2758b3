package dev.resilience.autoconfigure.aop;

import dev.resilience.guard.Guard;
import dev.resilience.guard.Resilience;

/** The {@link Resilience} bean: guards built by the same {@link PipelineFactory} as the annotated methods'. */
public final class Guards implements Resilience {

    private final PipelineFactory factory;

    public Guards(PipelineFactory factory) {
        this.factory = factory;
    }

    @Override
    public Guard guard(String name) {
        return new GuardBuilder(factory, name);
    }
}
