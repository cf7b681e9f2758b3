package dev.resilience.autoconfigure.aop;

import org.aopalliance.intercept.MethodInvocation;

/**
 * The prebuilt pipeline of one method, for code that keeps it itself instead of looking it up per call: the
 * AspectJ aspect keeps one per join point. The same pipeline the proxy interceptor runs for the method.
 */
public final class MethodPipeline {

    private final Pipeline pipeline;
    private final InlinePipeline inline;

    MethodPipeline(Pipeline pipeline) {
        this.pipeline = pipeline;
        this.inline = pipeline instanceof Pipeline.Synchronous synchronous ? Step.inline(synchronous.head())
                : pipeline == Pipeline.PassThrough.INSTANCE ? InlinePipeline.NONE : null;
    }

    /**
     * The same pipeline for a caller that invokes the method itself between the policies' calls (the AspectJ
     * advice, which then needs no closure per call); {@code null} when the method's policies need the invocation as
     * an object (see {@link InlinePipeline}), or the method returns a {@code CompletionStage}, {@code Mono} or
     * {@code Flux}: then {@link #call} runs them.
     */
    public InlinePipeline inline() {
        return inline;
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
