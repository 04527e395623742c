"""Matching a catalog's header row to canonical fields.

Headers are compared after `header_key()`: case, accents, spaces and punctuation removed. The alias table
covers the AliExpress template in English, Chinese, Spanish, French, Portuguese and Russian, and the known
export layouts (Shopify product CSV, Wish exports, the dropshipping sheet with Option N Name/Value).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from aelint.model import CANONICAL_FIELDS

IGNORE = "ignore"  # a [columns] value that drops a header

ALIASES: dict[str, tuple[str, ...]] = {
    "product_id": (
        "product id", "productid", "spu", "spu id", "item id", "parent sku", "parent unique id", "handle",
        "product_link", "product code", "group id", "item group id",
        "商品id", "产品id", "spu编码", "id del producto", "id produit", "identifiant produit", "id do produto",
        "id товара", "артикул товара",
    ),
    "title": (
        "title_orig", "title", "product title", "subject", "product name", "name", "item name",
        "商品标题", "标题", "产品标题", "产品名称", "título", "titulo", "nombre del producto", "titre",
        "nom du produit", "título do produto", "nome do produto", "название", "название товара", "заголовок",
    ),
    "category": (
        "category", "category id", "product category", "category path", "type", "product type",
        "类目", "类目id", "商品类目", "categoría", "categoria", "catégorie", "категория",
    ),
    "brand": ("brand", "brand name", "vendor", "品牌", "marca", "marque", "бренд"),
    "description": (
        "html description", "description", "body (html)", "body html", "product description", "detail",
        "商品描述", "描述", "详情描述", "descripción", "descripcion", "descrição", "descricao", "описание",
    ),
    "price": (
        "price", "sku price", "variant price", "retail price (usd)", "sale price", "suggested sale price",
        "价格", "零售价", "precio", "prix", "preço", "preco", "цена",
    ),
    "discount_price": (
        "discount price", "sku discount price", "promotion price", "促销价", "折扣价", "precio de descuento",
        "prix promotionnel", "preço promocional", "цена со скидкой",
    ),
    "stock": (
        "stock", "inventory", "quantity", "qty", "sku stock", "variant inventory qty",
        "product_variation_inventory", "库存", "existencias", "inventario", "cantidad", "quantité",
        "estoque", "quantidade", "остаток", "количество", "запас",
    ),
    "sku_code": (
        "sku", "sku code", "variant sku", "seller sku", "unique id", "sku编码", "商品编码", "código sku",
        "codigo sku", "référence", "reference sku", "код sku", "артикул",
    ),
    "color": ("color", "colour", "product_color", "颜色", "color del producto", "couleur", "cor", "цвет"),
    "size": ("size", "product_variation_size_id", "尺码", "尺寸", "talla", "taille", "tamanho", "размер"),
    "main_images": (
        "main images", "main image", "main image url", "images", "image", "image src", "image url",
        "product_picture", "extra images", "image_link", "image link", "主图", "商品主图", "imágenes",
        "imagenes", "images du produit", "imagens", "изображения", "фото",
    ),
    "variant_image": ("variant image", "sku image", "sku图片", "imagen sku", "image sku", "imagem sku",
                      "изображение sku", "variant image url", "variation image", "variation image url",
                      "variant main image url"),
    "marketing_image_square": ("marketing image 1:1", "marketing image square", "square marketing image",
                               "营销图1:1", "营销图 1:1", "白底图"),
    "marketing_image_portrait": ("marketing image 3:4", "marketing image portrait", "portrait marketing image",
                                 "营销图3:4", "营销图 3:4"),
    "weight_kg": ("weight", "weight kg", "weight (kg)", "package weight", "gross weight", "重量", "包装重量",
                  "毛重", "peso", "poids", "вес"),
    "package_length_cm": ("package length", "length", "length (cm)", "包装长度", "长", "largo", "longueur",
                          "comprimento", "длина"),
    "package_width_cm": ("package width", "width", "width (cm)", "包装宽度", "宽", "ancho", "largeur",
                         "largura", "ширина"),
    "package_height_cm": ("package height", "height", "height (cm)", "包装高度", "高", "alto", "hauteur",
                          "altura", "высота"),
    "shipping_template": ("shipping template", "freight template", "运费模板", "plantilla de envío",
                          "modèle de livraison", "modelo de frete", "шаблон доставки"),
    "processing_days": ("processing days", "processing time", "handling time", "lead time", "发货期",
                        "备货期", "días de procesamiento", "délai de traitement", "prazo de envio",
                        "срок обработки"),
    "suppress": ("aelint_ignore",),
}

# Headers that stand in numbered series: "Image_link_3", "image_2", "主图3".
NUMBERED_FIELDS = {
    "image": "main_images", "imagelink": "main_images", "mainimage": "main_images",
    "imageurl": "main_images", "主图": "main_images", "picture": "main_images", "photo": "main_images",
}
OPTION_RE = re.compile(r"^(?:option|variation|attribute|variantattribute)(\d+)(name|value)$")
NUMBER_SUFFIX_RE = re.compile(r"^(.*?)(\d+)$")
MAX_HEADER_CHARS = 200

COLOR_NAMES = {"color", "colour", "颜色", "couleur", "cor", "цвет", "colores", "colorname"}
SIZE_NAMES = {"size", "尺码", "尺寸", "talla", "taille", "tamanho", "размер", "shoessize", "shoesize"}


def header_key(header: str) -> str:
    """Compare headers on letters and digits only: 'Body (HTML)' -> 'bodyhtml', 'Título' -> 'titulo'."""
    decomposed = unicodedata.normalize("NFKD", str(header).casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


ALIAS_INDEX: dict[str, str] = {header_key(a): f for f, aliases in ALIASES.items() for a in aliases}
# Where several headers feed one field, the earlier alias wins (Wish: the seller's title_orig over
# the translated title; the dropshipping sheet: HTML Description over the plain one).
ALIAS_RANK: dict[str, int] = {header_key(a): n for aliases in ALIASES.values() for n, a in enumerate(aliases)}


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

    @property
    def score(self) -> int:
        return len(self.fields) + len(self.options)


def match_header(row: list[str], columns: dict[str, str]) -> HeaderMap:
    """Map each header of a row to a field; `columns` is the user's [columns] table (header -> field)."""
    user = {header_key(h): f for h, f in columns.items()}
    mapped_by_user = set(user.values())
    result = HeaderMap()
    option_parts: dict[int, dict[str, int]] = {}
    for index, raw in enumerate(row):
        header = str(raw).strip()
        if not header or len(header) > MAX_HEADER_CHARS:  # a data cell, not a header: no key (it may be megabytes)
            continue
        key = header_key(header)
        target = user.get(key)
        if target is None:
            target = ALIAS_INDEX.get(key)
            if target in mapped_by_user:  # the user chose another column for this field
                target = None
        if target is None and (m := OPTION_RE.match(key)):
            option_parts.setdefault(int(m[1]), {})[m[2]] = index
            result.recognised.append(header)
            continue
        if target is None and (m := NUMBER_SUFFIX_RE.match(key)):
            target = NUMBERED_FIELDS.get(m[1])
        if target is None or target == IGNORE:
            result.ignored.append(header)
            continue
        if target == "suppress":
            result.suppress = index
        else:
            result.fields.setdefault(target, []).append(index)
        result.recognised.append(header)
    for target, indexes in result.fields.items():
        if target != "main_images":
            indexes.sort(key=lambda i: ALIAS_RANK.get(header_key(str(row[i])), 99))
    for number, parts in sorted(option_parts.items()):
        if "value" in parts:
            result.options[number] = (parts.get("name", -1), parts["value"])
    return result


def valid_target(name: str) -> bool:
    """Whether a [columns] value names a field a header can map to."""
    return name in CANONICAL_FIELDS or name == IGNORE or (name.startswith("attr:") and len(name) > 5)
