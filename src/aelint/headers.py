"""Matching a catalog's header row to canonical fields.

A header is first split into its name and what it says about the column: a `*` before or after it (the
template requires the field), a language in brackets ("Product name (English)"), a unit ("Weight in packaging
(kg)", "Weight value (grams)") and a currency ("Price, CNY*"). The name is then compared after `header_key()`
(case, accents, spaces and punctuation removed) with the alias table, which holds the exact column names of the
layouts in ../shared/spec/layouts.md (AliExpress Seller Center template, Open Platform and dropshipping API
fields, Wish merchant CSVs, Shopify 2024 and older exports) and aelint's own canonical headers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from aelint.model import CANONICAL_FIELDS, PRODUCT_ATTRIBUTE, Column
from aelint.numbers import CURRENCIES, CURRENCY_ALIASES

IGNORE = "ignore"  # a [columns] value that drops a header

# Chinese aliases: none. The Chinese (批量发布) template's headers could not be verified from any source
# (layouts.md), so no Chinese header is recognised without a [columns] mapping.
# Spanish, French, Portuguese and Russian names are the plain words for each field.
ALIASES: dict[str, tuple[str, ...]] = {
    "product_id": (
        "aliexpress product id (seller spu id)",  # AliExpress Seller Center template
        "product id", "productid", "spu", "spu id", "item id", "parent sku", "parent unique id",
        "url handle", "handle",  # Shopify 2024 / older
        "product_link", "product code", "group id", "item group id",
        "id del producto", "id produit", "identifiant produit", "id do produto", "id товара", "артикул товара",
    ),
    "title": (
        "title_orig", "title", "product title", "subject", "product name", "name", "item name",
        "título", "titulo", "nombre del producto", "titre", "nom du produit", "título do produto",
        "nome do produto", "название", "название товара", "заголовок",
    ),
    "category": (
        "category", "category id", "aliexpress_category_id", "product category", "category path", "type",
        "product type", "categoría", "categoria", "catégorie", "категория",
    ),
    "brand": ("brand", "brand name", "product brand name", "vendor", "marca", "marque", "бренд"),
    "description": (
        "html description", "description", "body (html)", "body html", "product description", "detail",
        "web_detail", "mobile_detail", "descripción", "descripcion", "descrição", "descricao", "описание",
    ),
    "price": (
        "price", "sku price", "sku_price", "variant price", "retail price (usd)", "sale price", "suggested sale price",
        "precio", "prix", "preço", "preco", "цена",
    ),
    "discount_price": (
        "discount price", "discounted price", "sku discount price", "offer_sale_price", "promotion price",
        "precio de descuento", "prix promotionnel", "preço promocional", "цена со скидкой",
    ),
    # Wish 2021: the row's prices are in this currency; currency_buyer: the Wish scrape's (../data/wish_summer_clothes).
    "currency": ("currency", "currency code", "currency_buyer", "moneda", "devise", "moeda", "валюта"),
    "msrp": ("msrp", "compare-at price", "variant compare at price", "compare at price"),
    "shipping_price": ("shipping", "shipping price", "shipping cost"),
    "stock": (
        "stock", "stocks", "inventory", "quantity", "qty", "inventory quantity", "variant inventory qty",
        "ipm_sku_stock", "sku_available_stock", "product_variation_inventory",
        "existencias", "inventario", "cantidad", "quantité", "estoque", "quantidade", "остаток",
        "количество", "запас",
    ),
    "in_stock": ("sku_stock", "in stock"),  # dropshipping API: a true/false flag, not a count
    "sku_code": (
        "sku id/barcode (seller sku id)",  # AliExpress Seller Center template
        "sku", "sku code", "sku_code", "variant sku", "seller sku", "unique id", "código sku", "codigo sku",
        "référence", "reference sku", "код sku", "артикул",
    ),
    "barcode": ("barcode", "bar_code", "variant barcode", "upc", "gtin", "ean"),
    "color": ("color", "colour", "product_color", "color del producto", "couleur", "cor", "цвет"),
    "size": ("size", "product_variation_size_id", "talla", "taille", "tamanho", "размер"),
    "seller_color_name": ("сolor name in your system", "color name in your system"),  # first С is Cyrillic
    "main_images": (
        "main images", "main image", "main image url", "product main image url", "main_image_urls_list",
        "image_u_r_ls", "image_urls", "images", "image", "image src", "image url", "product image url",
        "product_picture", "extra images", "extra image url", "image_link", "image link", "imágenes",
        "imagenes", "images du produit", "imagens", "изображения", "фото",
    ),
    "variant_image": ("variation image", "variation image url", "variant image", "variant image url",
                      "variant main image url", "sku image", "sku_image_url", "imagen sku", "image sku",
                      "imagem sku", "изображение sku"),
    "marketing_image_square": ("marketing image 1:1", "marketing image square", "square marketing image"),
    "marketing_image_portrait": ("marketing image 3:4", "marketing image portrait", "portrait marketing image"),
    "weight_kg": ("weight", "weight_kg", "weight in packaging", "weight value", "variant grams", "shipping weight",
                  "package weight", "gross weight", "gross_weight", "peso", "poids", "вес"),
    "package_length_cm": ("package length", "package_length", "package_length_cm", "length",
                          "length in packaging", "largo", "longueur", "comprimento", "длина"),
    "package_width_cm": ("package width", "package_width", "package_width_cm", "width", "width in packaging",
                         "ancho", "largeur", "largura", "ширина"),
    "package_height_cm": ("package height", "package_height", "package_height_cm", "height",
                          "height in packaging", "alto", "hauteur", "altura", "высота"),
    "shipping_template": ("shipping template", "freight template", "freight_template_id",
                          "plantilla de envío", "modèle de livraison", "modelo de frete", "шаблон доставки"),
    "processing_days": ("processing days", "processing time", "order processing time", "handling time",
                        "lead time", "shipping_lead_time", "delivery_time", "días de procesamiento",
                        "délai de traitement", "prazo de envio", "срок обработки"),
    "shipping_time": ("shipping time",),  # Wish: "5-10" days in transit
    "tags": ("tags", "tag"),
    "landing_page_url": ("landing page url",),
    "selling_method": ("selling method", "product_unit"),
    "lot_size": ("quantity in packaging", "lot_num"),
    "logistics_type": ("type of logistics",),
    "bulk_discount": ("bulk discount", "bulk_discount"),
    "bulk_order": ("bulk order from", "bulk_order"),
    "suppress": ("aelint_ignore",),
}

# Headers that name their unit without brackets.
IMPLIED_UNITS = {"variantgrams": "g"}

# Headers that stand in numbered series: "Image_link_3", "Image #2", "Extra Image URL 4".
NUMBERED_FIELDS = {
    "image": "main_images", "imagelink": "main_images", "mainimage": "main_images",
    "imageurl": "main_images", "picture": "main_images", "photo": "main_images", "extraimageurl": "main_images",
}
# API attribute pairs read like "Option N Name/Value": sku_attributes_list[].sku_attribute_name / _value.
OPTION_KEYS = {"skuattributename": ("1", "name"), "skuattributevalue": ("1", "value")}
OPTION_RE = re.compile(r"^(?:option|variation|attribute|variantattribute)(\d+)(name|value)$")
NUMBER_SUFFIX_RE = re.compile(r"^(.*?)(\d+)$")
MAX_HEADER_CHARS = 200
# "(English)", "(kg)", "[cm]" at the end of a header; ", CNY" / ", %" / ", pcs." after a comma.
BRACKET_RE = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]\s*$")
COMMA_TAIL_RE = re.compile(r"\s*,\s*([^,]+?)\.?\s*$")

COLOR_NAMES = {"color", "colour", "couleur", "cor", "цвет", "colores", "colorname"}
SIZE_NAMES = {"size", "talla", "taille", "tamanho", "размер", "shoessize", "shoesize"}

LANGUAGE_NAMES = {
    "english": "en", "russian": "ru", "spanish": "es", "french": "fr", "portuguese": "pt", "german": "de",
    "italian": "it", "dutch": "nl", "polish": "pl", "turkish": "tr", "arabic": "ar", "hebrew": "he",
    "korean": "ko", "japanese": "ja", "chinese": "zh", "ukrainian": "uk", "thai": "th", "vietnamese": "vi",
    "indonesian": "id", "русский": "ru", "английский": "en",
}
WEIGHT_UNITS = {"kg": "kg", "kgs": "kg", "kilograms": "kg", "g": "g", "gr": "g", "gram": "g", "grams": "g",
                "lb": "lb", "lbs": "lb", "pounds": "lb", "oz": "oz", "ounces": "oz"}
LENGTH_UNITS = {"cm": "cm", "mm": "mm", "m": "m", "in": "in", "inch": "in", "inches": "in"}
OTHER_UNITS = {"days": "days", "day": "days", "%": "%", "pcs": "pcs", "pieces": "pcs"}


def header_key(header: str) -> str:
    """Compare headers on letters and digits only: 'Body (HTML)' -> 'bodyhtml', 'Título' -> 'titulo'."""
    decomposed = unicodedata.normalize("NFKD", str(header).casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


ALIAS_INDEX: dict[str, str] = {header_key(a): f for f, aliases in ALIASES.items() for a in aliases}
# Where several headers feed one field, the earlier alias wins (Wish: the seller's title_orig over
# the translated title; the dropshipping sheet: HTML Description over the plain one).
ALIAS_RANK: dict[str, int] = {header_key(a): n for aliases in ALIASES.values() for n, a in enumerate(aliases)}


@dataclass(frozen=True, slots=True)
class HeaderParts:
    """What a header says besides its name."""

    name: str
    required: bool = False
    language: str | None = None
    unit: str | None = None
    currency: str | None = None


def split_header(header: str) -> HeaderParts:
    """'Price, CNY*' -> name 'Price', CNY, required; 'Product name (English)' -> 'Product name', en."""
    text = header.strip()
    required = text.startswith("*") or text.endswith("*")
    text = text.strip("*").strip()
    language = unit = currency = None
    while True:
        match = BRACKET_RE.search(text) or COMMA_TAIL_RE.search(text)
        if not match:
            break
        word = match[1].strip()
        lowered = word.casefold().rstrip(".")
        code = CURRENCY_ALIASES.get(word.upper(), word.upper())
        if lowered in LANGUAGE_NAMES and language is None:
            language = LANGUAGE_NAMES[lowered]
        elif unit is None and (found := WEIGHT_UNITS.get(lowered) or LENGTH_UNITS.get(lowered)
                               or OTHER_UNITS.get(lowered)):
            unit = found
        elif currency is None and code in CURRENCIES:
            currency = code
        else:
            break
        text = text[:match.start()].strip().strip("*").strip()
    if unit is None:
        unit = IMPLIED_UNITS.get(header_key(text))
    return HeaderParts(text or header.strip(), required, language, unit, currency)


def field_for(header: str) -> tuple[str | None, HeaderParts]:
    """The canonical field a header names (None when unknown) and what else it says."""
    parts = split_header(header)
    for key in (header_key(parts.name), header_key(header)):
        if key in ALIAS_INDEX:
            return ALIAS_INDEX[key], parts
    if "." in parts.name and " " not in parts.name:  # an API path: ae_item_base_info_dto.subject
        last = parts.name.rsplit(".", 1)[1].removeprefix("[]")
        if (key := header_key(last)) in ALIAS_INDEX:
            return ALIAS_INDEX[key], parts
    if (m := NUMBER_SUFFIX_RE.match(header_key(parts.name))) and m[1] in NUMBERED_FIELDS:
        return NUMBERED_FIELDS[m[1]], parts
    return None, parts


def option_part(name: str) -> tuple[int, str] | None:
    """(N, 'name' or 'value') for an 'Option N Name/Value' header or an API attribute name/value field."""
    key = header_key(name)
    if match := OPTION_RE.match(key):
        return int(match[1]), match[2]
    number, part = OPTION_KEYS.get(key) or OPTION_KEYS.get(header_key(name.rsplit(".", 1)[-1]), (0, ""))
    return (int(number), part) if part else None


def attribute_field(name: str) -> str:
    """Canonical field of a variant attribute named in an 'Option N Name' cell."""
    key = header_key(name)
    if key in COLOR_NAMES:
        return "color"
    if key in SIZE_NAMES:
        return "size"
    return f"attr:{name.strip()}"


@dataclass
class HeaderMap:
    """How one header row is understood."""

    fields: dict[str, list[int]] = field(default_factory=dict)  # field -> column indexes, priority order
    options: dict[int, tuple[int, int | None]] = field(default_factory=dict)  # N -> (name col, value col)
    suppress: int | None = None
    recognised: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    # Title and description columns in other languages than the main one: language -> field -> indexes.
    other_languages: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    language: str | None = None  # the language of the main title/description columns, where headers say it

    @property
    def score(self) -> int:
        return len(self.fields) + len(self.options) + len(self.other_languages)

    @property
    def required_fields(self) -> frozenset[str] | None:
        """Fields the header marks required with `*`; None when it marks none (no template)."""
        marked = frozenset(c.field for c in self.columns if c.required and c.field and c.field != "suppress")
        return marked or None


LANGUAGE_FIELDS = ("title", "description")


def match_header(row: list[str], columns: dict[str, str], language: str | None = None,
                 groups: list[str] | None = None) -> HeaderMap:
    """Map each header of a row to a field; `columns` is the user's [columns] table (header -> field).

    `language` picks the main title/description columns where the headers name languages; `groups` are the
    template's group titles over each column, which place unknown columns at product or SKU level."""
    user = {header_key(h): f for h, f in columns.items()}
    mapped_by_user = set(user.values())
    result = HeaderMap()
    option_parts: dict[int, dict[str, int]] = {}
    by_language: dict[str, dict[str, list[int]]] = {}
    for index, raw in enumerate(row):
        header = str(raw).strip()
        if not header or len(header) > MAX_HEADER_CHARS:  # a data cell, not a header: no key (it may be megabytes)
            continue
        group = groups[index] if groups and index < len(groups) else ""
        target, parts = user.get(header_key(header)), split_header(header)
        if target is None:
            target, parts = field_for(header)
            if target in mapped_by_user:  # the user chose another column for this field
                target = None
        if target is None and (option := option_part(parts.name)):
            number, part = option
            option_parts.setdefault(number, {})[part] = index
            result.recognised.append(header)
            result.columns.append(Column(index, header, f"option {number} {part}", parts.required, group=group))
            continue
        if target is None and group:
            target = group_attribute(parts.name, group)
        if target is None or target == IGNORE:
            result.ignored.append(header)
            result.columns.append(Column(index, header, None, group=group))
            continue
        result.columns.append(Column(index, header, target, parts.required, parts.language, parts.unit,
                                     parts.currency, group))
        result.recognised.append(header)
        if target == "suppress":
            result.suppress = index
        elif parts.language and target in LANGUAGE_FIELDS:
            by_language.setdefault(parts.language, {}).setdefault(target, []).append(index)
        else:
            result.fields.setdefault(target, []).append(index)
    for target, indexes in result.fields.items():
        if target != "main_images":
            indexes.sort(key=lambda i: ALIAS_RANK.get(header_key(split_header(str(row[i])).name), 99))
    for number, parts_ in sorted(option_parts.items()):
        if "value" in parts_:
            result.options[number] = (parts_.get("name", -1), parts_["value"])
    _place_languages(result, by_language, language)
    return result


def _place_languages(result: HeaderMap, by_language: dict[str, dict[str, list[int]]], language: str | None) -> None:
    """The configured language's columns (else the first language's) feed title/description; the others
    are kept as other languages, each linted in its own language. A plain "Description" column wins."""
    if not by_language:
        return
    wanted = (language or "").lower().split("-")[0]
    main = wanted if wanted in by_language else next(iter(by_language))
    for name, indexes in list(by_language[main].items()):
        if name not in result.fields:
            result.fields[name] = indexes
            result.language = main
            del by_language[main][name]
    result.other_languages = {lang: fields for lang, fields in by_language.items() if fields}


# Group titles of the AliExpress template (row 1, merged over the columns): over SKU-level columns, and
# all of them (to tell the group row from other rows above the field names). Every other group is product-level.
SKU_GROUP_KEYS = ("productvariation", "pricesandstocks", "sku")
KNOWN_GROUP_KEYS = ("productimage", "pricesandstocks", "detaileddescription", "anysellersattributes",
                    "productvariation", "packagingandshipment", "bulkprice")


def group_attribute(name: str, group: str) -> str | None:
    """An unknown column under a template group: a variation attribute (SKU group) or a product attribute."""
    key = header_key(group)
    if not key:
        return None
    if any(key.startswith(k) or k in key for k in SKU_GROUP_KEYS):
        return attribute_field(name)
    if key.startswith(("packaging", "bulkprice", "productimage", "detaileddescription")):
        return None  # known groups whose unknown columns are not attributes
    return f"{PRODUCT_ATTRIBUTE}{name.strip()}"


def valid_target(name: str) -> bool:
    """Whether a [columns] value names a field a header can map to."""
    return (name in CANONICAL_FIELDS or name == IGNORE
            or (name.startswith(("attr:", PRODUCT_ATTRIBUTE)) and len(name.split(":", 1)[1]) > 0))
