"""SOAP 1.1 and 1.2 envelopes, faults and WSDL bindings, for a SOAP-speaking PBX
(Mobilon's 1C web service): a request is answered in the version it was asked in.

The two versions differ in the envelope namespace, the content type
(`text/xml` + a SOAPAction header vs `application/soap+xml`), the fault's shape
(`faultcode`/`faultstring` vs `Code/Value` + `Reason/Text`) and the HTTP status of a
fault caused by the sender (SOAP 1.1 §6.2: 500; SOAP 1.2 part 2 §7.5.2.2: 400).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape

from trubka.providers import xml
from trubka.providers.base import Reply, WebhookRequest


@dataclass(frozen=True, slots=True)
class Version:
    name: str
    envelope: str  # the envelope's namespace
    content_type: str
    wsdl: str  # the namespace of its WSDL binding extension
    sender: str  # the fault code of a fault caused by the request
    sender_status: int  # the HTTP status of such a fault


SOAP11 = Version("1.1", "http://schemas.xmlsoap.org/soap/envelope/",
                 "text/xml; charset=utf-8", "http://schemas.xmlsoap.org/wsdl/soap/",
                 "soap:Client", 500)
SOAP12 = Version("1.2", "http://www.w3.org/2003/05/soap-envelope",
                 "application/soap+xml; charset=utf-8",
                 "http://schemas.xmlsoap.org/wsdl/soap12/", "soap:Sender", 400)
VERSIONS = {v.name: v for v in (SOAP11, SOAP12)}


def asked(request: WebhookRequest, root: Element | None = None) -> Version:
    """The version a request speaks: its envelope's namespace when parsed, else its
    content type (a body too broken to parse still gets a fault it can read)."""
    if root is not None and isinstance(root.tag, str) and root.tag.startswith("{"):
        namespace = root.tag[1:].split("}", 1)[0]
        if namespace == SOAP12.envelope:
            return SOAP12
        if namespace == SOAP11.envelope:
            return SOAP11
    if request.content_type == "application/soap+xml" or (
            SOAP12.envelope.encode() in request.body[:4096]):
        return SOAP12
    return SOAP11


def envelope(version: Version, body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope '
            f'xmlns:soap="{version.envelope}"><soap:Body>{body}</soap:Body>'
            f'</soap:Envelope>').encode()


def response(version: Version, namespace: str, operation: str, value: str) -> Reply:
    """Document/literal `<{operation}Response><return>value</return>`."""
    body = (f'<m:{operation}Response xmlns:m="{namespace}"><m:return>{escape(value)}'
            f'</m:return></m:{operation}Response>')
    return Reply(200, envelope(version, body), version.content_type)


def fault(version: Version, text: str, status: int | None = None,
          sender: bool = True) -> Reply:
    """A fault in `version`'s shape; by default the sender's, with its HTTP status."""
    text = escape(text or "Bad request")
    if version is SOAP12:
        code = version.sender if sender else "soap:Receiver"
        body = (f'<soap:Fault><soap:Code><soap:Value>{code}</soap:Value></soap:Code>'
                f'<soap:Reason><soap:Text xml:lang="en">{text}</soap:Text></soap:Reason>'
                f'</soap:Fault>')
    else:
        code = version.sender if sender else "soap:Server"
        body = f"<soap:Fault><faultcode>{code}</faultcode><faultstring>{text}</faultstring>" \
               "</soap:Fault>"
    default = version.sender_status if sender else 500
    return Reply(status or default, envelope(version, body), version.content_type)


def fault_text(reply_body: bytes) -> tuple[str, str]:
    """(code, text) of a fault of either version, for tests and logs."""
    root = xml.parse(reply_body)
    found = xml.find(root, "Body", "Fault")
    code = xml.text(found, "faultcode") or xml.text(found, "Code", "Value")
    return code, xml.text(found, "faultstring") or xml.text(found, "Reason", "Text")


def wsdl(name: str, namespace: str, operations: dict[str, tuple[str, ...]],
         location: str) -> str:
    """A WSDL 1.1 document (document/literal, string parameters returning a string) with
    a SOAP 1.1 and a SOAP 1.2 binding of the same port type, one port each."""
    elements = "".join(
        f'<xs:element name="{op}"><xs:complexType><xs:sequence>'
        + "".join(f'<xs:element name="{p}" type="xs:string"/>' for p in params)
        + '</xs:sequence></xs:complexType></xs:element>'
        f'<xs:element name="{op}Response"><xs:complexType><xs:sequence>'
        '<xs:element name="return" type="xs:string"/></xs:sequence></xs:complexType>'
        '</xs:element>' for op, params in operations.items())
    messages = "".join(
        f'<message name="{op}Request"><part name="parameters" element="tns:{op}"/></message>'
        f'<message name="{op}ResponseMessage"><part name="parameters" '
        f'element="tns:{op}Response"/></message>' for op in operations)
    port_ops = "".join(
        f'<operation name="{op}"><input message="tns:{op}Request"/>'
        f'<output message="tns:{op}ResponseMessage"/></operation>' for op in operations)
    where = escape(location, {'"': "&quot;"})
    bindings = ports = ""
    for prefix, suffix in (("soap", ""), ("soap12", "12")):
        ops = "".join(
            f'<operation name="{op}"><{prefix}:operation soapAction="{namespace}#{name}:{op}" '
            f'style="document"/><input><{prefix}:body use="literal"/></input>'
            f'<output><{prefix}:body use="literal"/></output></operation>' for op in operations)
        bindings += (f'<binding name="{name}Soap{suffix}Binding" type="tns:{name}PortType">'
                     f'<{prefix}:binding style="document" '
                     f'transport="http://schemas.xmlsoap.org/soap/http"/>{ops}</binding>')
        ports += (f'<port name="{name}Soap{suffix}" binding="tns:{name}Soap{suffix}Binding">'
                  f'<{prefix}:address location="{where}"/></port>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<definitions name="{name}" targetNamespace="{namespace}" '
        f'xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="{SOAP11.wsdl}" '
        f'xmlns:soap12="{SOAP12.wsdl}" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        f'xmlns:tns="{namespace}">'
        f'<types><xs:schema targetNamespace="{namespace}" elementFormDefault="qualified">'
        f'{elements}</xs:schema></types>{messages}'
        f'<portType name="{name}PortType">{port_ops}</portType>{bindings}'
        f'<service name="{name}">{ports}</service></definitions>')
