"""CCSDS NDM/XML: OPM and OEM in XML rewritten as KVN (so the KVN readers check the content),
namespace stripping (OMM XML too), and the one state-file format detection.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from rossim.errors import InputError

__all__ = ["strip_xml_namespaces", "xml_to_kvn", "detect_state_format"]


def strip_xml_namespaces(text: str) -> str:
    """NDM/XML text with every element's namespace removed (``{urn:...}omm`` -> ``omm``).

    The qualified NDM/XML schema puts the elements in ``urn:ccsds:schema:ndmxml``; the element
    names are the same as in unqualified files (as bradsease/oem does since its PR #69).
    """
    if "xmlns" not in text:
        return text
    try:
        root = ET.fromstring(text)
    except (ET.ParseError, LookupError):  # LookupError: unknown encoding in the declaration
        return text  # the caller's parser reports the syntax error
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith("{"):
            el.tag = el.tag.split("}", 1)[1]
        for key in [k for k in el.attrib if k.startswith("{")]:
            el.attrib[key.split("}", 1)[1]] = el.attrib.pop(key)
    return ET.tostring(root, encoding="unicode")




# --------------------------------------------------------------------------- NDM/XML

_OEM_STATE = ("EPOCH", "X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT", "X_DDOT", "Y_DDOT", "Z_DDOT")


def xml_to_kvn(text: str, where: str = "<string>") -> tuple[str, str]:
    """An OPM or OEM in CCSDS NDM/XML (with or without the ``urn:ccsds:schema:ndmxml``
    namespace, bare or inside ``<ndm>``) rewritten as KVN: ``(kind, kvn_text)``.

    The XML schema (CCSDS 505.0-B-2) uses the KVN keywords as element names, so the KVN
    readers check the content; ``kind`` is ``"OPM"`` or ``"OEM"``. Only the first message of
    an ``<ndm>`` combined instantiation is read.
    """
    import xml.etree.ElementTree as ET


    try:
        root = ET.fromstring(strip_xml_namespaces(text))
    except (ET.ParseError, LookupError) as exc:
        raise InputError(where, None, "XML", "a CCSDS NDM/XML OPM, OEM or OMM",
                         problem=str(exc)) from None
    msg = root
    if root.tag == "ndm":
        msg = next((c for c in root if c.tag in ("opm", "oem", "omm")), None)
        if msg is None:
            raise InputError(where, "ndm", "no opm, oem or omm", "a CCSDS NDM/XML message")
    kind = msg.tag.upper()
    if kind not in ("OPM", "OEM"):
        raise InputError(where, "XML root", msg.tag, "an opm or oem element")
    out = [f"CCSDS_{kind}_VERS = {msg.get('version', '')}"]

    def kv(el) -> str:
        value = (el.text or "").strip()
        if el.tag == "COMMENT":
            return f"COMMENT {value}"
        unit = el.get("units")
        return f"{el.tag} = {value}" + (f" [{unit}]" if unit else "")

    def leaves(el):
        for child in el:
            if len(child):
                yield from leaves(child)
            else:
                yield child

    for part in msg:
        if part.tag == "header":
            out += [kv(x) for x in leaves(part)]
        elif part.tag == "body":
            for seg in part.iter("segment"):
                meta = seg.find("metadata")
                data = seg.find("data")
                if kind == "OEM":
                    out.append("META_START")
                out += [kv(x) for x in leaves(meta)] if meta is not None else []
                if kind == "OEM":
                    out.append("META_STOP")
                if data is None:
                    continue
                for block in data:
                    if kind == "OEM" and block.tag == "stateVector":
                        vals = {x.tag: (x.text or "").strip() for x in block}
                        out.append(" ".join(vals[k] for k in _OEM_STATE if k in vals))
                    elif kind == "OEM" and block.tag == "covarianceMatrix":
                        out.append("COVARIANCE_START")
                        vals = [x for x in block if x.tag not in ("COMMENT",)]
                        head = [x for x in vals if x.tag in ("EPOCH", "COV_REF_FRAME")]
                        nums = [(x.text or "").strip() for x in vals if x.tag.startswith("C")
                                and x.tag != "COV_REF_FRAME"]
                        out += [kv(x) for x in head]
                        k = 0
                        for row in range(1, 7):
                            out.append(" ".join(nums[k:k + row]))
                            k += row
                        out.append("COVARIANCE_STOP")
                    elif len(block):
                        out += [kv(x) for x in leaves(block)]
                    else:
                        out.append(kv(block))
    return kind, "\n".join(out) + "\n"


def detect_state_format(text: str) -> str:
    """The format of a state file from its content: ``"OPM"``, ``"OEM"`` (KVN),
    ``"OPM-XML"``, ``"OEM-XML"``, ``"OMM"`` (XML, KVN, JSON or CSV) or ``"TLE"``.

    The one detection path of every command that takes an initial state (``read_state``).
    """
    head = text.lstrip()
    if head.startswith("<"):
        import re as _re

        m = _re.search(r"<\s*(?:[A-Za-z_][\w.-]*:)?(opm|oem|omm)[\s>]", head[:4096])
        kind = m.group(1).upper() if m else "OMM"
        return kind if kind == "OMM" else f"{kind}-XML"
    # the header keyword in any case: a KVN file written in lower case is still the
    # format it names (its parser then says what is wrong with it)
    first = head[:200].upper()
    if first.startswith("CCSDS_OPM_VERS"):
        return "OPM"
    if first.startswith("CCSDS_OEM_VERS"):
        return "OEM"
    if first.startswith(("CCSDS_OMM_VERS", "[", "{")):
        return "OMM"
    line = head.splitlines()[0] if head else ""
    if "," in line and "EPOCH" in line.upper():
        return "OMM"
    return "TLE"
