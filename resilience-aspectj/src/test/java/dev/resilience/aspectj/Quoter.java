package dev.resilience.aspectj;

import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Woven at compile time: guarded methods of every arity the aspect binds arguments for (none to three, and more),
 * with primitives, whose retries run the body again on the same arguments and whose fallbacks receive them.
 */
public class Quoter {

    final List<String> attempts = new CopyOnWriteArrayList<>();
    volatile boolean down;

    /** Calls its own guarded methods, which a proxy would not see. */
    public String quoteAll(String symbol, int amount, long at, String venue, boolean firm) throws IOException {
        return quote() + "|" + quote(symbol) + "|" + quote(symbol, amount) + "|" + quote(symbol, amount, at) + "|"
                + quote(symbol, amount, at, venue, firm);
    }

    @Retry("quotes")
    @Fallback("fallback")
    public String quote() throws IOException {
        return attempt("q0");
    }

    @Retry("quotes")
    @Fallback("fallback")
    String quote(String symbol) throws IOException {
        return attempt("q1:" + symbol);
    }

    @Retry("quotes")
    @Fallback("fallback")
    private String quote(String symbol, int amount) throws IOException {
        return attempt("q2:" + symbol + "," + amount);
    }

    @Retry("quotes")
    @Fallback("fallback")
    protected String quote(String symbol, int amount, long at) throws IOException {
        return attempt("q3:" + symbol + "," + amount + "," + at);
    }

    @Retry("quotes")
    @Fallback("fallback")
    public String quote(String symbol, int amount, long at, String venue, boolean firm) throws IOException {
        return attempt("q5:" + symbol + "," + amount + "," + at + "," + venue + "," + firm);
    }

    @Retry("quotes")
    public int doubled(int amount) throws IOException {
        attempt("d:" + amount);
        return amount * 2;
    }

    private String attempt(String call) throws IOException {
        attempts.add(call);
        if (down || attempts.stream().filter(call::equals).count() < 2) { // every call fails its first attempt
            throw new IOException("no quote for " + call);
        }
        return call;
    }

    private String fallback(IOException failure) {
        return "none";
    }

    private String fallback(String symbol, IOException failure) {
        return "none:" + symbol;
    }

    private String fallback(String symbol, int amount, IOException failure) {
        return "none:" + symbol + "," + amount;
    }

    private String fallback(String symbol, int amount, long at, IOException failure) {
        return "none:" + symbol + "," + amount + "," + at;
    }

    private String fallback(String symbol, int amount, long at, String venue, boolean firm, IOException failure) {
        return "none:" + symbol + "," + amount + "," + at + "," + venue + "," + firm;
    }
}
