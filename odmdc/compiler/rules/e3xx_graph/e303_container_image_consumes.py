from odmdc.compiler.checker.edges import is_container_image_type
from odmdc.compiler.checker.model import TypeDef
from odmdc.compiler.rules.producer_only import ProducerOnlyRule


class ContainerImageConsumes(ProducerOnlyRule):
    code = "E303"
    title = "container_image enver consumes"
    summary = "An enver of a `container_image` build declares consumers."
    what = "`container_image`"
    why = (
        "a container image build only builds images and pushes them to ECR; it deploys "
        "nothing that could receive a value. Runtime configuration belongs to the enver that "
        "runs the image"
    )

    def applies(self, t: TypeDef) -> bool:
        return is_container_image_type(t)
