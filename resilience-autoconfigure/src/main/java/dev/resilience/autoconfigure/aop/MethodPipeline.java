package dev.resilience.autoconfigure.aop;

import org.aopalliance.intercept.MethodInvocation;

/**
 * The prebuilt pipeline of one method, for code that keeps it itself instead of looking it up per call: the
 * AspectJ aspect keeps one per join point. The same pipeline the proxy interceptor runs for the method.
 */
public final class MethodPipeline {

    private final Pipeline pipeline;

    MethodPipeline(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * Runs the method's policies around {@code invocation}, whose {@code proceed()} calls the method; a retry
     * calls it again (so it must allow that, as AspectJ's join points do).
     */
    public Object invoke(MethodInvocation invocation) throws Throwable {
        return pipeline.invoke(invocation);
    }

    /**
     * As {@link #invoke}, for a caller that cannot declare {@code Throwable} (AspectJ's code-style advice): what
     * the method or a policy throws is rethrown as it is, checked or not, without wrapping.
     */
    public Object call(MethodInvocation invocation) {
        try {
            return pipeline.invoke(invocation);
        } catch (Throwable failure) {
            throw MethodPipeline.<RuntimeException>rethrow(failure);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T rethrow(Throwable failure) throws T {
        throw (T) failure;
    }
}
