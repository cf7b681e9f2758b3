package dev.resilience.aspectj;

import dev.resilience.autoconfigure.aop.PipelineFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Hands the context's pipelines to the {@link ResilienceAspect} once every singleton exists (in AspectJ mode), or
 * tells it to let woven calls pass (in proxy mode, where the proxies guard); takes them back when the context
 * closes.
 */
public final class ResilienceAspectBinding implements SmartInitializingSingleton, DisposableBean {

    private final boolean aspectj;
    private final ObjectProvider<PipelineFactory> factory;

    /** @param aspectj whether the context is in AspectJ mode ({@code resilience.aop.mode=aspectj}) */
    public ResilienceAspectBinding(boolean aspectj, ObjectProvider<PipelineFactory> factory) {
        this.aspectj = aspectj;
        this.factory = factory;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (aspectj) {
            ResilienceAspect.bind(this, factory.getObject());
        } else {
            ResilienceAspect.passThrough(this);
        }
    }

    @Override
    public void destroy() {
        ResilienceAspect.unbind(this);
    }
}
