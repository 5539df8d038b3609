from decimal import Decimal, getcontext
getcontext().prec = 40
third = Decimal(1) / Decimal(3)
assert str(third).startswith("0.3333333333")
print(Decimal("1.10") + Decimal("2.20"))
