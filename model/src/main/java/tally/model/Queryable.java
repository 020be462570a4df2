package tally.model;

/** Something that can be read: opens a {@link Querier} over [mint, maxt] in milliseconds. */
public interface Queryable {
    Querier querier(long mint, long maxt);
}
