package cox.pickle;

/**
 * A reference to data kept outside the pickle: written as the id followed by {@code BINPERSID},
 * and resolved by the reader's {@code persistent_load} ({@link PersistentLoader}). torch.save
 * refers to its storages this way.
 *
 * @param id the id, itself plain data (torch.save uses a tuple, {@code Object[]})
 */
public record PersistentId(Object id) {
}
