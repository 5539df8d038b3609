from abc import ABC, abstractmethod
class Engine(ABC):
    @abstractmethod
    def run(self, code): ...
class Echo(Engine):
    def run(self, code): return code
try:
    Engine()
    raise AssertionError("abstract class instantiated")
except TypeError:
    pass
print(Echo().run("ok"))
