package io.lbkit.nftables.internal;

import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.internal.NlWriter;
import java.util.List;

/**
 * Builds nf_tables messages into an {@link NlWriter}: the nfnetlink batch frame, tables,
 * chains, sets, set elements and rules, in the attribute order nft 1.0.6 writes them (so
 * byte vectors captured from {@code nft} compare equal). Sequence numbers and port ids are
 * left 0 for the socket to stamp. Pure code, no I/O. Internal.
 */
public final class NftCodec {
  private NftCodec() {}

  /** One set element: a key and either data bytes, a goto-chain verdict, or neither. */
  public record Elem(byte[] key, byte[] data, String gotoChain) {
    /** A key with data. */
    public static Elem of(byte[] key, byte[] data) {
      return new Elem(key, data, null);
    }

    /** A key whose data is {@code goto chain}. */
    public static Elem gotoChain(byte[] key, String chain) {
      return new Elem(key, null, chain);
    }

    /** A key alone (a delete). */
    public static Elem key(byte[] key) {
      return new Elem(key, null, null);
    }
  }

  private static int begin(NlWriter w, int msg, int flags, int family) {
    int m = w.beginMessage(Nft.type(msg), Nl.NLM_F_REQUEST | flags);
    w.putRaw(new byte[] {(byte) family, 0, 0, 0});
    return m;
  }

  /** NFNL_MSG_BATCH_BEGIN for nf_tables; {@code genId} 0 asks for no generation check. */
  public static void batchBegin(NlWriter w, int genId) {
    int m = w.beginMessage(Nft.MSG_BATCH_BEGIN, Nl.NLM_F_REQUEST);
    w.putRaw(new byte[] {0, 0, 0, (byte) Nft.SUBSYS});
    if (genId != 0) {
      w.putBe32(Nft.BATCH_GENID, genId);
    }
    w.endMessage(m);
  }

  /** NFNL_MSG_BATCH_END. */
  public static void batchEnd(NlWriter w) {
    int m = w.beginMessage(Nft.MSG_BATCH_END, Nl.NLM_F_REQUEST);
    w.putRaw(new byte[] {0, 0, 0, (byte) Nft.SUBSYS});
    w.endMessage(m);
  }

  /** NFT_MSG_NEWTABLE (creates, or leaves an existing table as it is). */
  public static void newTable(NlWriter w, int family, String table) {
    int m = begin(w, Nft.NEWTABLE, 0, family);
    w.putString(Nft.TABLE_NAME, table);
    w.putBe32(Nft.TABLE_FLAGS, 0);
    w.endMessage(m);
  }

  /** NFT_MSG_DELTABLE: the table with everything in it. */
  public static void delTable(NlWriter w, int family, String table) {
    int m = begin(w, Nft.DELTABLE, 0, family);
    w.putString(Nft.TABLE_NAME, table);
    w.endMessage(m);
  }

  /** NFT_MSG_NEWCHAIN of a regular chain (a jump or goto target). */
  public static void newChain(NlWriter w, int family, String table, String chain) {
    int m = begin(w, Nft.NEWCHAIN, Nl.NLM_F_CREATE, family);
    w.putString(Nft.CHAIN_TABLE, table);
    w.putString(Nft.CHAIN_NAME, chain);
    w.endMessage(m);
  }

  /** NFT_MSG_NEWCHAIN of a base chain on {@code hook} with policy accept. */
  public static void newBaseChain(NlWriter w, int family, String table, String chain, String type, int hook,
      int priority) {
    int m = begin(w, Nft.NEWCHAIN, Nl.NLM_F_CREATE, family);
    w.putString(Nft.CHAIN_TABLE, table);
    w.putString(Nft.CHAIN_NAME, chain);
    w.putString(Nft.CHAIN_TYPE, type);
    w.putBe32(Nft.CHAIN_POLICY, 1);
    int h = w.beginNested(Nft.CHAIN_HOOK);
    w.putBe32(Nft.HOOK_HOOKNUM, hook);
    w.putBe32(Nft.HOOK_PRIORITY, priority);
    w.endNested(h);
    w.endMessage(m);
  }

  /** NFT_MSG_DELCHAIN (the chain must have no rules and no references left). */
  public static void delChain(NlWriter w, int family, String table, String chain) {
    int m = begin(w, Nft.DELCHAIN, 0, family);
    w.putString(Nft.CHAIN_TABLE, table);
    w.putString(Nft.CHAIN_NAME, chain);
    w.endMessage(m);
  }

  /**
   * NFT_MSG_NEWSET of a map.
   *
   * @param setId the set's id within the batch (0: none)
   * @param userdata nft's description of the types, for {@code nft list} (null: none)
   */
  public static void newMap(NlWriter w, int family, String table, String name, int keyType, int keyLen,
      int dataType, int dataLen, int setId, byte[] userdata) {
    int m = begin(w, Nft.NEWSET, Nl.NLM_F_CREATE, family);
    w.putString(Nft.SET_TABLE, table);
    w.putString(Nft.SET_NAME, name);
    w.putBe32(Nft.SET_FLAGS, Nft.SET_F_MAP);
    w.putBe32(Nft.SET_KEY_TYPE, keyType);
    w.putBe32(Nft.SET_KEY_LEN, keyLen);
    w.putBe32(Nft.SET_DATA_TYPE, dataType);
    w.putBe32(Nft.SET_DATA_LEN, dataLen);
    if (setId != 0) {
      w.putBe32(Nft.SET_ID, setId);
    }
    if (userdata != null) {
      w.putBytes(Nft.SET_USERDATA, userdata);
    }
    w.endMessage(m);
  }

  /** NFT_MSG_DELSET. */
  public static void delSet(NlWriter w, int family, String table, String name) {
    int m = begin(w, Nft.DELSET, 0, family);
    w.putString(Nft.SET_TABLE, table);
    w.putString(Nft.SET_NAME, name);
    w.endMessage(m);
  }

  /**
   * The most elements one NFT_MSG_NEWSETELEM or DELSETELEM carries: their list is one
   * attribute, whose length is 16 bits (64 KiB); more go into further messages.
   */
  public static final int ELEMS_PER_MESSAGE = 512;

  /**
   * NFT_MSG_NEWSETELEM; {@code setId} 0 refers to the set by name only.
   *
   * @return the number of messages written: one per {@value #ELEMS_PER_MESSAGE} elements
   */
  public static int newElems(NlWriter w, int family, String table, String set, int setId, List<Elem> elems) {
    int n = 0;
    for (int from = 0; from < elems.size() || from == 0; from += ELEMS_PER_MESSAGE, n++) {
      int m = begin(w, Nft.NEWSETELEM, Nl.NLM_F_CREATE, family);
      w.putString(Nft.ELEM_LIST_TABLE, table);
      w.putString(Nft.ELEM_LIST_SET, set);
      if (setId != 0) {
        w.putBe32(Nft.ELEM_LIST_SET_ID, setId);
      }
      elements(w, elems.subList(from, Math.min(elems.size(), from + ELEMS_PER_MESSAGE)));
      w.endMessage(m);
    }
    return n;
  }

  /**
   * NFT_MSG_DELSETELEM of the given keys.
   *
   * @return the number of messages written: one per {@value #ELEMS_PER_MESSAGE} keys
   */
  public static int delElems(NlWriter w, int family, String table, String set, List<Elem> keys) {
    int n = 0;
    for (int from = 0; from < keys.size() || from == 0; from += ELEMS_PER_MESSAGE, n++) {
      int m = begin(w, Nft.DELSETELEM, 0, family);
      w.putString(Nft.ELEM_LIST_TABLE, table);
      w.putString(Nft.ELEM_LIST_SET, set);
      elements(w, keys.subList(from, Math.min(keys.size(), from + ELEMS_PER_MESSAGE)));
      w.endMessage(m);
    }
    return n;
  }

  /** NFT_MSG_DELSETELEM without elements: empties the set. */
  public static void flushSet(NlWriter w, int family, String table, String set) {
    int m = begin(w, Nft.DELSETELEM, 0, family);
    w.putString(Nft.ELEM_LIST_SET, set);
    w.putString(Nft.ELEM_LIST_TABLE, table);
    w.endMessage(m);
  }

  private static void elements(NlWriter w, List<Elem> elems) {
    int list = w.beginNested(Nft.ELEM_LIST_ELEMENTS);
    for (Elem e : elems) {
      int el = w.beginNested(Nft.LIST_ELEM);
      int k = w.beginNested(Nft.ELEM_KEY);
      w.putBytes(Nft.DATA_VALUE, e.key());
      w.endNested(k);
      if (e.data() != null) {
        int d = w.beginNested(Nft.ELEM_DATA);
        w.putBytes(Nft.DATA_VALUE, e.data());
        w.endNested(d);
      } else if (e.gotoChain() != null) {
        int d = w.beginNested(Nft.ELEM_DATA);
        int v = w.beginNested(Nft.DATA_VERDICT);
        w.putBe32(Nft.VERDICT_CODE, Nft.GOTO);
        w.putString(Nft.VERDICT_CHAIN, e.gotoChain());
        w.endNested(v);
        w.endNested(d);
      }
      w.endNested(el);
    }
    w.endNested(list);
  }

  /**
   * NFT_MSG_NEWRULE appended to {@code chain}.
   *
   * @param exprs writes the expressions (with {@link NftExpr})
   * @param comment the rule's comment (nft's userdata TLV 0), or null
   */
  public static void newRule(NlWriter w, int family, String table, String chain,
      java.util.function.Consumer<NlWriter> exprs, String comment) {
    int m = begin(w, Nft.NEWRULE, Nl.NLM_F_CREATE | Nl.NLM_F_APPEND, family);
    w.putString(Nft.RULE_TABLE, table);
    w.putString(Nft.RULE_CHAIN, chain);
    int e = w.beginNested(Nft.RULE_EXPRESSIONS);
    exprs.accept(w);
    w.endNested(e);
    if (comment != null) {
      w.putBytes(Nft.RULE_USERDATA, Udata.comment(comment));
    }
    w.endMessage(m);
  }

  /** NFT_MSG_DELRULE without a handle: deletes every rule of the chain. */
  public static void flushChain(NlWriter w, int family, String table, String chain) {
    int m = begin(w, Nft.DELRULE, 0, family);
    w.putString(Nft.RULE_TABLE, table);
    w.putString(Nft.RULE_CHAIN, chain);
    w.endMessage(m);
  }

  /** NFT_MSG_GETGEN: asks for the ruleset's generation id. */
  public static void getGen(NlWriter w) {
    int m = begin(w, Nft.GETGEN, 0, Nft.NFPROTO_UNSPEC);
    w.endMessage(m);
  }

  /** A dump of the elements of one set. */
  public static void dumpElems(NlWriter w, int family, String table, String set) {
    int m = begin(w, Nft.GETSETELEM, Nl.NLM_F_DUMP, family);
    w.putString(Nft.ELEM_LIST_TABLE, table);
    w.putString(Nft.ELEM_LIST_SET, set);
    w.endMessage(m);
  }

  /** A dump of the rules of one table. */
  public static void dumpRules(NlWriter w, int family, String table) {
    int m = begin(w, Nft.GETRULE, Nl.NLM_F_DUMP, family);
    w.putString(Nft.RULE_TABLE, table);
    w.endMessage(m);
  }

  /** A dump of the chains of one table. */
  public static void dumpChains(NlWriter w, int family, String table) {
    int m = begin(w, Nft.GETCHAIN, Nl.NLM_F_DUMP, family);
    w.putString(Nft.CHAIN_TABLE, table);
    w.endMessage(m);
  }

  private static final String[] NAMES = {"NEWTABLE", "GETTABLE", "DELTABLE", "NEWCHAIN", "GETCHAIN", "DELCHAIN",
      "NEWRULE", "GETRULE", "DELRULE", "NEWSET", "GETSET", "DELSET", "NEWSETELEM", "GETSETELEM", "DELSETELEM"};

  /** Names message {@code index} of a batch for error messages: its type and first name attribute. */
  public static String describe(java.nio.ByteBuffer batch, int index) {
    java.nio.ByteBuffer b = batch.duplicate().order(java.nio.ByteOrder.nativeOrder());
    int p = 0;
    for (int i = 0; i < index && p < b.limit(); i++) {
      p += Nl.align(b.getInt(p));
    }
    if (p + 20 > b.limit()) {
      return "?";
    }
    int type = b.getShort(p + 4) & 0xff;
    String name = type < NAMES.length ? "NFT_MSG_" + NAMES[type] : "type " + type;
    try {
      io.lbkit.netlink.internal.NlAttrs a = io.lbkit.netlink.internal.NlAttrs.parse(b, p + 20, p + b.getInt(p), 3);
      String obj = a.string(type == Nft.NEWCHAIN || type == Nft.DELCHAIN ? 3 : 2);
      return obj == null ? name : name + " " + obj;
    } catch (java.net.ProtocolException e) {
      return name;
    }
  }
}
